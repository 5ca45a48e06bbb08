using System.Net;
using System.Text;
using Rampart.Server.Tests.Support;

namespace Rampart.Server.Tests.Security;

/// <summary>Issue 7 on a real <c>rampart serve</c>: on submission, a declared message size over the limit and an
/// overlong command line are <c>limit</c> audit events naming the limit and the logged-in account.</summary>
public sealed class SubmissionLimitEventsTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private readonly RunningServer server = new("submission-limits");

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task Message_size_and_line_length_on_submission_are_limit_events()
    {
        await server.CliAsync(Password + "\n", "user", "add", "alice", "--password-stdin");
        server.Start();
        var port = server.Submissions;

        await using (var smtp = await LoopbackTlsClient.ConnectAsync(port, IPAddress.Parse("127.0.6.1")))
        {
            Assert.StartsWith("220", await smtp.SmtpReplyAsync(), StringComparison.Ordinal);
            Assert.StartsWith("250", await smtp.SmtpCommandAsync("EHLO client.test"), StringComparison.Ordinal);
            var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice\0" + Password));
            Assert.StartsWith("235", await smtp.SmtpCommandAsync("AUTH PLAIN " + plain), StringComparison.Ordinal);
            Assert.StartsWith("552", await smtp.SmtpCommandAsync("MAIL FROM:<alice@mail.test> SIZE=99999999999"), StringComparison.Ordinal);
            Assert.StartsWith("500", await smtp.SmtpCommandAsync("NOOP " + new string('a', 100_000)), StringComparison.Ordinal);
        }

        await server.StopAsync();
        var limits = server.AuditLines().Where(l => RunningServer.Field(l, "kind") == "limit")
            .Select(l => (Limit: RunningServer.Field(l, "limit"), Protocol: RunningServer.Field(l, "protocol"), Ip: RunningServer.Field(l, "ip"), User: RunningServer.Field(l, "user")))
            .ToList();
        Assert.Equal([("message-size", "smtp", "127.0.6.1", "alice"), ("line-length", "smtp", "127.0.6.1", "alice")], limits);
    }
}
