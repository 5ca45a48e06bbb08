using Rampart.Net.Options;
using Rampart.Net.Tests.TestSupport;

namespace Rampart.Net.Tests.Listeners;

public sealed class StartTlsTests : IDisposable
{
    private readonly TestCertificates _files = new();

    public void Dispose() => _files.Dispose();

    // S01/S03: a command pipelined after STARTTLS in the same packet is discarded, never run in or out of TLS.
    [Fact]
    public async Task Plaintext_pipelined_after_starttls_is_discarded()
    {
        await using var server = TestServer.Start(_files, TlsMode.StartTls);
        using var tcp = await server.ConnectAsync();
        var stream = tcp.GetStream();
        Assert.Equal("* OK ready", await TestServer.ReadLineAsync(stream));
        await TestServer.WriteAsync(stream, "A STARTTLS\r\nB NOOP\r\n");
        Assert.Equal("OK begin TLS", await TestServer.ReadLineAsync(stream));

        await using var ssl = await TestServer.ClientHandshakeAsync(stream, "localhost");
        await TestServer.WriteAsync(ssl, "C NOOP\r\n");
        // The first answer inside TLS is for C: B was dropped with the plaintext buffer.
        Assert.Equal("OK C NOOP", await TestServer.ReadLineAsync(ssl));
        Assert.DoesNotContain("B NOOP", server.Handler.Received);
        var connection = Assert.Single(server.Handler.Connections);
        Assert.True(connection.IsTls);
    }

    [Fact]
    public async Task Starttls_in_a_separate_packet_then_commands_inside_tls_work()
    {
        await using var server = TestServer.Start(_files, TlsMode.StartTls);
        using var tcp = await server.ConnectAsync();
        var stream = tcp.GetStream();
        Assert.Equal("* OK ready", await TestServer.ReadLineAsync(stream));
        await TestServer.WriteAsync(stream, "a0 NOOP\r\n");
        Assert.Equal("OK a0 NOOP", await TestServer.ReadLineAsync(stream));
        await TestServer.WriteAsync(stream, "a1 STARTTLS\r\n");
        Assert.Equal("OK begin TLS", await TestServer.ReadLineAsync(stream));
        await using var ssl = await TestServer.ClientHandshakeAsync(stream, "localhost");
        await TestServer.WriteAsync(ssl, "a2 NOOP\r\na3 NOOP\r\n");
        Assert.Equal("OK a2 NOOP", await TestServer.ReadLineAsync(ssl));
        Assert.Equal("OK a3 NOOP", await TestServer.ReadLineAsync(ssl));
    }
}
