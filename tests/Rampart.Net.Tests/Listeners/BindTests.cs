using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Net.Access;
using Rampart.Net.Listeners;
using Rampart.Net.Options;
using Rampart.Net.Tests.TestSupport;

namespace Rampart.Net.Tests.Listeners;

public class BindTests
{
    [Fact]
    public async Task Port_in_use_gives_one_clear_exception()
    {
        using var occupier = new TcpListener(IPAddress.Loopback, 0);
        occupier.Start();
        var port = ((IPEndPoint)occupier.LocalEndpoint).Port;
        await using var listener = new ConnectionListener(
            "imaps",
            new ListenerOptions { Endpoint = $"127.0.0.1:{port}", Tls = TlsMode.None },
            new ConnectionGate(new AccessOptions(), new ConnectionLimitOptions()),
            null,
            new LineEchoHandler(),
            NullLogger.Instance);
        var ex = Assert.Throws<ListenerException>(listener.Start);
        Assert.Equal($"imaps: cannot listen on 127.0.0.1:{port}: address already in use (another process listens on port {port})", ex.Message);
    }

    [Fact]
    public async Task Bad_endpoint_names_the_listener()
    {
        await using var listener = new ConnectionListener(
            "pop3s",
            new ListenerOptions { Endpoint = "localhost:995", Tls = TlsMode.None },
            new ConnectionGate(new AccessOptions(), new ConnectionLimitOptions()),
            null,
            new LineEchoHandler(),
            NullLogger.Instance);
        var ex = Assert.Throws<ListenerException>(listener.Start);
        Assert.StartsWith("pop3s: Invalid listener endpoint \"localhost:995\"", ex.Message);
        Assert.Contains("RAMPART__Listeners__pop3s__Endpoint", ex.Message);
    }
}
