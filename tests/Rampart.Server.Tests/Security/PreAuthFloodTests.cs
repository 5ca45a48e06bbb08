using System.Net;
using System.Net.Sockets;

namespace Rampart.Server.Tests.Security;

/// <summary>SECURITY.md C02 on the wire: a flood of connections that never finish their TLS handshake (300, from 15
/// addresses, each at the per-address limit) does not starve a session that is already logged in, nor a new client
/// from another address.</summary>
public sealed class PreAuthFloodTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "rampart-c02-" + Guid.NewGuid().ToString("N")[..8]);

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
    public async Task C02_a_pre_auth_flood_leaves_logged_in_sessions_and_new_clients_served()
    {
        await using var server = await GuardedServer.StartAsync(data, new Dictionary<string, string>(), "alice");
        await using var owner = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Loopback);
        Assert.StartsWith("* OK", await owner.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("a1 OK", await owner.CommandAsync($"a1 LOGIN alice \"{GuardedServer.Password}\""), StringComparison.Ordinal);

        var flood = new List<TcpClient>();
        try
        {
            for (var address = 1; address <= 15; address++)
            {
                var local = IPAddress.Parse("127.0.4." + address.ToString(System.Globalization.CultureInfo.InvariantCulture));
                for (var i = 0; i < 20; i++)
                {
                    var tcp = new TcpClient(new IPEndPoint(local, 0));
                    flood.Add(tcp);
                    await tcp.ConnectAsync(IPAddress.Loopback, server.Imaps);
                }
            }

            // The flood is accepted and holds its handshake slots; the logged-in session goes on working.
            Assert.StartsWith("a2 OK", await owner.CommandAsync("a2 SELECT INBOX"), StringComparison.Ordinal);
            Assert.StartsWith("a3 OK", await owner.CommandAsync("a3 NOOP"), StringComparison.Ordinal);

            // A new client from another address still gets a greeting and logs in.
            await using var newcomer = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Parse("127.0.5.1"));
            Assert.StartsWith("* OK", await newcomer.ReadLineAsync(), StringComparison.Ordinal);
            Assert.StartsWith("b1 OK", await newcomer.CommandAsync($"b1 LOGIN alice \"{GuardedServer.Password}\""), StringComparison.Ordinal);

            // And a flooding address is held at its limit: its next connection is refused before any byte.
            Assert.True(await LoopbackTlsClient.IsClosedAtOnceAsync(server.Imaps, IPAddress.Parse("127.0.4.1")), "the 21st connection of one address was admitted");
        }
        finally
        {
            foreach (var tcp in flood)
            {
                tcp.Dispose();
            }
        }
    }
}
