using Rampart.Net.Options;
using Rampart.Net.Tests.TestSupport;

namespace Rampart.Net.Tests.Listeners;

public sealed class IdleTimeoutTests : IDisposable
{
    private readonly TestCertificates _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Silent_client_is_closed_after_the_pre_auth_idle_timeout()
    {
        await using var server = TestServer.Start(_files, TlsMode.None, limits: o => o.PreAuthIdleTimeout = TimeSpan.FromSeconds(3));
        using var tcp = await server.ConnectAsync();
        var stream = tcp.GetStream();
        Assert.Equal("* OK ready", await TestServer.ReadLineAsync(stream));
        await TestServer.WriteAsync(stream, "a1 NOOP\r\n");
        Assert.Equal("OK a1 NOOP", await TestServer.ReadLineAsync(stream));
        // Then silence: the server closes, well before our 20 s guard.
        Assert.Empty(await TestServer.ReadToCloseAsync(stream, TimeSpan.FromSeconds(20)));
    }
}
