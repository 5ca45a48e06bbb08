using System.Net;

namespace Rampart.Server.Tests.Security;

/// <summary>SECURITY.md E01 on the wire, over the real server and real TLS: an unknown user, a wrong password, a
/// disabled account and a locked account (throttled: too many failures from elsewhere, the right password from a
/// network the account has never used) get byte-identical replies on IMAP, POP3 and submission. Each attempt is a
/// fresh connection, so no reply differs by a session's failure count.</summary>
public sealed class IdenticalFailuresOnTheWireTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "rampart-e01-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task E01_unknown_user_wrong_password_disabled_and_locked_accounts_get_identical_replies()
    {
        var settings = new Dictionary<string, string> { ["Security:Guard:AccountThrottleThreshold"] = "3" };
        await using var server = await GuardedServer.StartAsync(data, settings, "alice", "dora", "lena");
        var disable = await RampartProcess.RunAsync(string.Empty, "user", "disable", "dora", "--data", data);
        Assert.True(disable.ExitCode == 0, disable.Error);

        // Lock lena: three distinct wrong passwords from three other addresses reach the account throttle.
        for (var i = 0; i < 3; i++)
        {
            await using var guesser = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Parse("127.0.1." + (10 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await guesser.ReadLineAsync();
            Assert.StartsWith("g NO", await guesser.CommandAsync("g LOGIN lena Wrong-Guess-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), StringComparison.Ordinal);
        }

        var attempts = new (string User, string Password)[]
        {
            ("nobody", GuardedServer.Password),
            ("alice", "Wrong-Password-9!"),
            ("dora", GuardedServer.Password),
            ("lena", GuardedServer.Password),
        };
        var client = IPAddress.Parse("127.0.1.20");
        var imap = new List<string>();
        var pop3 = new List<string>();
        var smtp = new List<string>();
        foreach (var (user, password) in attempts)
        {
            await using (var connection = await LoopbackTlsClient.ConnectAsync(server.Imaps, client))
            {
                await connection.ReadLineAsync();
                imap.Add(await connection.CommandAsync($"a1 LOGIN {user} \"{password}\""));
            }

            await using (var connection = await LoopbackTlsClient.ConnectAsync(server.Pop3s, client))
            {
                await connection.ReadLineAsync();
                var userReply = await connection.CommandAsync("USER " + user);
                pop3.Add(userReply + " / " + await connection.CommandAsync("PASS " + password));
            }

            await using (var connection = await LoopbackTlsClient.ConnectAsync(server.Submissions, client))
            {
                await connection.SmtpReplyAsync();
                await connection.SmtpCommandAsync("EHLO client.test");
                smtp.Add(await connection.SmtpCommandAsync("AUTH PLAIN " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("\0" + user + "\0" + password))));
            }
        }

        Assert.StartsWith("a1 NO [AUTHENTICATIONFAILED]", imap[0], StringComparison.Ordinal);
        Assert.All(imap, reply => Assert.Equal(imap[0], reply));
        Assert.StartsWith("+OK", pop3[0], StringComparison.Ordinal);
        Assert.Contains(" / -ERR", pop3[0], StringComparison.Ordinal);
        Assert.All(pop3, reply => Assert.Equal(pop3[0], reply));
        Assert.StartsWith("535", smtp[0], StringComparison.Ordinal);
        Assert.All(smtp, reply => Assert.Equal(smtp[0], reply));

        // The right password from the owner's side still works for alice: the refusals above were not a broken server.
        await using var owner = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Loopback);
        await owner.ReadLineAsync();
        Assert.StartsWith("b1 OK", await owner.CommandAsync("b1 LOGIN alice " + GuardedServer.Password), StringComparison.Ordinal);
    }
}
