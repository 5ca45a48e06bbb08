using System.Text.RegularExpressions;
using Rampart.Imap.Session;
using Rampart.Imap.Tests.TestSupport;

namespace Rampart.Imap.Tests;

/// <summary>Walks the command table (STYLE.md): every command has a handler, a state rule, an RFC and at least one
/// transcript that sends it.</summary>
public sealed class CommandTableTests
{
    [Fact]
    public void Every_command_has_a_handler_a_state_rule_an_rfc_and_a_transcript()
    {
        var sent = Transcript.Files()
            .SelectMany(f => File.ReadAllLines(Path.Combine(Transcript.Directory, f)))
            .Where(l => Regex.IsMatch(l, @"^\d+> "))
            .Select(l => l.ToUpperInvariant())
            .ToList();
        var missing = new List<string>();
        foreach (var command in CommandTable.All)
        {
            Assert.NotNull(command.Handler);
            Assert.NotEqual(SessionState.None, command.States);
            Assert.Matches(@"^RFC \d+ §[\d.]+$", command.Rfc);
            if (!sent.Any(l => Regex.IsMatch(l, @"^\d+> \S+ " + Regex.Escape(command.Name) + @"(\s|$)")))
            {
                missing.Add(command.Name);
            }
        }

        Assert.True(missing.Count == 0, "commands without a transcript: " + string.Join(", ", missing));
        Assert.Equal(CommandTable.All.Count, CommandTable.All.Select(c => c.Name).Distinct().Count());
    }

    [Fact]
    public void Nothing_but_capability_noop_logout_id_starttls_login_authenticate_runs_before_login()
    {
        var preAuth = CommandTable.All.Where(c => (c.States & SessionState.NotAuthenticated) != 0).Select(c => c.Name).Order().ToList();
        Assert.Equal(["AUTHENTICATE", "CAPABILITY", "ID", "LOGIN", "LOGOUT", "NOOP", "STARTTLS"], preAuth);
    }
}
