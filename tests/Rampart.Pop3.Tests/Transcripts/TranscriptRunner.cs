using System.Text;
using System.Text.RegularExpressions;
using Rampart.Pop3.Tests.Support;

namespace Rampart.Pop3.Tests.Transcripts;

/// <summary>Replays a <see cref="Transcript"/> against a fresh store and a server.</summary>
public static class TranscriptRunner
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(15);

    public static async Task RunAsync(Transcript transcript, Func<Pop3Services, bool, ITranscriptServer> startServer)
    {
        await using var environment = await TestMailEnvironment.CreateAsync();
        foreach (var (user, password) in transcript.Users)
        {
            await environment.AddUserAsync(user, password);
        }

        foreach (var (user, settings) in transcript.AccountSettings)
        {
            var account = (await environment.Store.FindAccountAsync(user))!;
            await Accounts.Pop3AccountSettings.WriteAsync(environment.Store, account.Id, settings, CancellationToken.None);
            if (settings.Apop)
            {
                await environment.Legacy.EnableAsync(user, transcript.Users.First(u => u.User == user).Password, CancellationToken.None);
            }
        }

        foreach (var (user, message) in transcript.Deliveries)
        {
            await environment.DeliverAsync(user, message);
        }

        var options = new Pop3Options { Retention = transcript.Retention };
        if (transcript.MaxErrors is { } maxErrors)
        {
            options.MaxConsecutiveErrors = maxErrors;
        }

        var services = environment.CreateServices(options, legacy: transcript.Legacy);
        await using var server = startServer(services, transcript.Plaintext);
        var connections = new Dictionary<int, ITranscriptConnection>();
        var captures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var step in transcript.Steps)
        {
            var where = $"{transcript.Name}:{step.LineNumber}";
            if (!connections.TryGetValue(step.Connection, out var connection))
            {
                connection = await server.ConnectAsync();
                connections[step.Connection] = connection;
            }

            switch (step.Kind)
            {
                case StepKind.Send:
                    await connection.SendAsync(Encoding.UTF8.GetBytes(step.Text + "\r\n"));
                    break;
                case StepKind.SendRaw:
                    await connection.SendAsync(Encoding.Latin1.GetBytes(step.Text));
                    break;
                case StepKind.Expect:
                    var line = await connection.ReadLineAsync().WaitAsync(StepTimeout);
                    Assert.True(line is not null, $"{where}: connection closed, expected '{step.Text}'");
                    Assert.True(Matches(step.Text, line, captures), $"{where}: expected '{step.Text}', got '{line}'");
                    break;
                case StepKind.ExpectClosed:
                    var extra = await connection.ReadLineAsync().WaitAsync(StepTimeout);
                    Assert.True(extra is null, $"{where}: expected the server to close, got '{extra}'");
                    break;
                case StepKind.StartTls:
                    await connection.StartTlsAsync().WaitAsync(StepTimeout);
                    break;
                case StepKind.Close:
                    await connection.CloseAsync().WaitAsync(StepTimeout);
                    break;
            }
        }

        foreach (var connection in connections.Values)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>Matches a received line against an expected one with <c>*</c> and <c>$name</c>.</summary>
    public static bool Matches(string expected, string actual, Dictionary<string, string> captures)
    {
        var pattern = new StringBuilder("^");
        var newNames = new List<string>();
        var text = expected;
        var wildcard = text.EndsWith('*');
        if (wildcard)
        {
            text = text[..^1];
        }

        var position = 0;
        foreach (Match variable in Regex.Matches(text, @"\$([A-Za-z_][A-Za-z0-9_]*)"))
        {
            pattern.Append(Regex.Escape(text[position..variable.Index]));
            var name = variable.Groups[1].Value;
            if (captures.TryGetValue(name, out var bound))
            {
                pattern.Append(Regex.Escape(bound));
            }
            else if (newNames.Contains(name))
            {
                pattern.Append(@"\k<").Append(name).Append('>');
            }
            else
            {
                pattern.Append("(?<").Append(name).Append(@">\S+)");
                newNames.Add(name);
            }

            position = variable.Index + variable.Length;
        }

        pattern.Append(Regex.Escape(text[position..]));
        pattern.Append(wildcard ? ".*$" : "$");
        var match = Regex.Match(actual, pattern.ToString(), RegexOptions.Singleline);
        if (!match.Success)
        {
            return false;
        }

        foreach (var name in newNames)
        {
            captures[name] = match.Groups[name].Value;
        }

        return true;
    }
}
