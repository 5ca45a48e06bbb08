using System.Net;
using System.Text;

namespace Rampart.Server.Tests.Security;

/// <summary>SECURITY.md B01 over the real server: <c>Security:Guard:MaxFailuresPerSession</c> is the number of failed
/// logins that ends a session on IMAP, POP3 and submission (each protocol's own setting overrides it only when set).
/// At 2, the second failure closes the connection where the protocols' default of 3 would have let it go on.</summary>
public sealed class SessionFailureLimitTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "rampart-failures-" + Guid.NewGuid().ToString("N")[..8]);

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
    public async Task B01_the_guards_max_failures_per_session_of_two_ends_imap_pop3_and_submission_sessions_at_the_second_failure()
    {
        await using var server = await GuardedServer.StartAsync(data, new Dictionary<string, string> { ["Security:Guard:MaxFailuresPerSession"] = "2" }, "alice");

        await using (var imap = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Parse("127.0.0.11")))
        {
            Assert.StartsWith("* OK", await imap.ReadLineAsync(), StringComparison.Ordinal);
            Assert.StartsWith("a1 NO", await imap.CommandAsync("a1 LOGIN alice Wrong-Password-1"), StringComparison.Ordinal);
            Assert.StartsWith("a2 NO", await imap.CommandAsync("a2 LOGIN alice Wrong-Password-2"), StringComparison.Ordinal);
            Assert.True(await imap.IsClosedAsync(), "the IMAP session went on after its second failure");
        }

        await using (var pop3 = await LoopbackTlsClient.ConnectAsync(server.Pop3s, IPAddress.Parse("127.0.0.12")))
        {
            Assert.StartsWith("+OK", await pop3.ReadLineAsync(), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await pop3.CommandAsync("USER alice"), StringComparison.Ordinal);
            Assert.StartsWith("-ERR", await pop3.CommandAsync("PASS Wrong-Password-3"), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await pop3.CommandAsync("USER alice"), StringComparison.Ordinal);
            await pop3.CommandAsync("PASS Wrong-Password-4");
            Assert.True(await pop3.IsClosedAsync(), "the POP3 session went on after its second failure");
        }

        await using (var smtp = await LoopbackTlsClient.ConnectAsync(server.Submissions, IPAddress.Parse("127.0.0.13")))
        {
            Assert.StartsWith("220", await smtp.SmtpReplyAsync(), StringComparison.Ordinal);
            Assert.StartsWith("250", await smtp.SmtpCommandAsync("EHLO client.test"), StringComparison.Ordinal);
            Assert.StartsWith("535", await smtp.SmtpCommandAsync("AUTH PLAIN " + Plain("alice", "Wrong-Password-5")), StringComparison.Ordinal);
            await smtp.SmtpCommandAsync("AUTH PLAIN " + Plain("alice", "Wrong-Password-6"));
            Assert.True(await smtp.IsClosedAsync(), "the submission session went on after its second failure");
        }
    }

    private static string Plain(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + password));
}
