using Rampart.Server.Tests.Support;

namespace Rampart.Server.Tests.Security;

/// <summary>S01 over the real server, audited (issue 7, L03): a command pipelined in the same packet as
/// STARTTLS/STLS is never answered inside TLS, and the audit log records one <c>starttls.injection</c> event per
/// connection with the number of bytes dropped, never the bytes.</summary>
public sealed class StartTlsInjectionTests : IDisposable
{
    private readonly RunningServer server = new("starttls");

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task S01_injected_plaintext_is_dropped_and_audited_with_its_size_on_imap_and_pop3()
    {
        server.Start();

        await using (var imap = await WireClient.ConnectAsync(server.Imap, alpn: null))
        {
            Assert.StartsWith("* OK", await imap.ReadLineAsync(), StringComparison.Ordinal);
            await imap.SendAsync("a STARTTLS\r\nb NOOP\r\n");
            Assert.StartsWith("a OK", await imap.ReadLineAsync(), StringComparison.Ordinal);
            await imap.StartTlsAsync("imap");
            await imap.SendAsync("c NOOP\r\n");
            Assert.StartsWith("c OK", await imap.ReadLineAsync(), StringComparison.Ordinal);
        }

        await using (var pop3 = await WireClient.ConnectAsync(server.Pop3, alpn: null))
        {
            Assert.StartsWith("+OK", await pop3.ReadLineAsync(), StringComparison.Ordinal);
            await pop3.SendAsync("STLS\r\nCAPA\r\n");
            Assert.StartsWith("+OK", await pop3.ReadLineAsync(), StringComparison.Ordinal);
            await pop3.StartTlsAsync("pop3");

            // Were the CAPA answered inside TLS, its "+OK" would come before the reply to this unknown command.
            Assert.StartsWith("-ERR", await pop3.Pop3Async("XNOPE"), StringComparison.Ordinal);
        }

        // A client that waits for the OK, as it must, raises nothing.
        await using (var polite = await WireClient.ConnectAsync(server.Imap, alpn: null))
        {
            await polite.ReadLineAsync();
            Assert.StartsWith("d OK", await polite.ImapAsync("d STARTTLS"), StringComparison.Ordinal);
            await polite.StartTlsAsync("imap");
            Assert.StartsWith("e OK", await polite.ImapAsync("e NOOP"), StringComparison.Ordinal);
        }

        await server.StopAsync();
        var injections = server.AuditLines()
            .Where(l => RunningServer.Field(l, "kind") == "starttls.injection")
            .Select(l => (Protocol: RunningServer.Field(l, "protocol"), Discarded: RunningServer.Field(l, "discarded"), Ip: RunningServer.Field(l, "ip"), Result: RunningServer.Field(l, "result")))
            .ToList();
        Assert.Equal([("imap", "8", "127.0.0.1", "discarded"), ("pop3", "6", "127.0.0.1", "discarded")], injections);
        var text = string.Join('\n', server.AuditLines().Select(l => l.ToString()));
        Assert.DoesNotContain("b NOOP", text, StringComparison.Ordinal);
    }
}
