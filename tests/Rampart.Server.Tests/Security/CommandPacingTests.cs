using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Rampart.Server.Tests.Security;

/// <summary>SECURITY.md C04 over the real server: a burst of 500 pipelined NOOPs on IMAP and on submission is paced
/// once the session's burst (here 100) is spent. Every command is still answered; the server's own account of the
/// session (its log line when the session ends: how many commands it paced of how many) shows the pacing. Nothing here
/// measures time.</summary>
public sealed partial class CommandPacingTests : IDisposable
{
    private readonly ServeFixture serve = new("pacing");

    public void Dispose() => serve.Dispose();

    [Fact]
    public async Task C04_a_burst_of_500_noops_is_paced_not_refused_on_imap_and_submission()
    {
        serve.Set("Listeners:smtp:Endpoint", "127.0.0.1:0")
            .Set("Listeners:smtp:Enabled", "true")
            .Set("Limits:CommandBurst", "100")
            .Set("Limits:CommandsPerSecond", "400")
            .Start("imaps", "submissions", "smtp");
        var server = serve.Process;
        var imaps = serve.Ports["imaps"];
        var submissions = serve.Ports["submissions"];
        var inbound = serve.Ports["smtp"];

        await using (var imap = await LoopbackTlsClient.ConnectAsync(imaps, IPAddress.Loopback))
        {
            Assert.StartsWith("* OK", await imap.ReadLineAsync(), StringComparison.Ordinal);
            var burst = new StringBuilder();
            for (var i = 0; i < 500; i++)
            {
                burst.Append(CultureInfo.InvariantCulture, $"n{i} NOOP\r\n");
            }

            Assert.StartsWith("n0 OK", await imap.CommandAsync(burst + "bye LOGOUT"), StringComparison.Ordinal);
            for (var i = 1; i < 500; i++)
            {
                Assert.StartsWith($"n{i} OK", await NextTaggedAsync(imap), StringComparison.Ordinal);
            }

            Assert.StartsWith("bye OK", await NextTaggedAsync(imap), StringComparison.Ordinal);
        }

        var imapLine = await WaitForLogAsync(server, "imap session");
        var imapCounts = PacedPattern().Match(imapLine);
        Assert.True(imapCounts.Success, imapLine);
        Assert.Equal(501, int.Parse(imapCounts.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.InRange(int.Parse(imapCounts.Groups[1].Value, CultureInfo.InvariantCulture), 1, 401);

        await using (var smtp = await LoopbackTlsClient.ConnectAsync(submissions, IPAddress.Parse("127.0.0.2")))
        {
            Assert.StartsWith("220", await smtp.SmtpReplyAsync(), StringComparison.Ordinal);
            var burst = new StringBuilder();
            for (var i = 0; i < 499; i++)
            {
                burst.Append("NOOP\r\n");
            }

            Assert.StartsWith("250", await smtp.SmtpCommandAsync(burst + "NOOP"), StringComparison.Ordinal);
            for (var i = 1; i < 500; i++)
            {
                Assert.StartsWith("250", await smtp.SmtpReplyAsync(), StringComparison.Ordinal);
            }

            Assert.StartsWith("221", await smtp.SmtpCommandAsync("QUIT"), StringComparison.Ordinal);
        }

        var smtpLine = await WaitForLogAsync(server, "smtp session");
        var smtpCounts = PacedPattern().Match(smtpLine);
        Assert.True(smtpCounts.Success, smtpLine);
        Assert.Equal(501, int.Parse(smtpCounts.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.InRange(int.Parse(smtpCounts.Groups[1].Value, CultureInfo.InvariantCulture), 1, 401);

        // Inbound port 25 takes no AUTH and has no login security, and is paced all the same.
        using (var tcp = new System.Net.Sockets.TcpClient(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 0)))
        {
            await tcp.ConnectAsync(IPAddress.Loopback, inbound);
            using var stream = tcp.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            Assert.StartsWith("220", await reader.ReadLineAsync(), StringComparison.Ordinal);
            var burst = new StringBuilder("EHLO client.test\r\n");
            for (var i = 0; i < 500; i++)
            {
                burst.Append("NOOP\r\n");
            }

            await stream.WriteAsync(Encoding.ASCII.GetBytes(burst + "QUIT\r\n"));
            var noops = 0;
            string? line;
            while ((line = await reader.ReadLineAsync()) is not null && !line.StartsWith("221", StringComparison.Ordinal))
            {
                noops += line.StartsWith("250 2.0.0", StringComparison.Ordinal) ? 1 : 0;
            }

            Assert.Equal(500, noops);
        }

        var inboundLine = await WaitForLogAsync(server, "from 127.0.0.3");
        var inboundCounts = PacedPattern().Match(inboundLine);
        Assert.True(inboundCounts.Success, inboundLine);
        Assert.Equal(502, int.Parse(inboundCounts.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.InRange(int.Parse(inboundCounts.Groups[1].Value, CultureInfo.InvariantCulture), 1, 402);
    }

    private static async Task<string> NextTaggedAsync(LoopbackTlsClient imap)
    {
        while (true)
        {
            var line = await imap.ReadLineAsync();
            if (!line.StartsWith('*'))
            {
                return line;
            }
        }
    }

    /// <summary>The server's log line (standard error) for a paced session that ended.</summary>
    private static async Task<string> WaitForLogAsync(RampartProcess server, string session)
    {
        for (var i = 0; i < 120; i++)
        {
            var line = server.Errors.Split('\n').FirstOrDefault(l => l.Contains(session, StringComparison.Ordinal) && l.Contains("commands paced", StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"no pacing line for the {session} in the server's log:\n{server.Errors}");
        return string.Empty;
    }

    [GeneratedRegex(@"(\d+) of (\d+) commands paced")]
    private static partial Regex PacedPattern();
}
