using System.Net;
using System.Net.Sockets;
using System.Text;
using Rampart.Server.Tests.Security;
using Rampart.Server.Tests.Support;

namespace Rampart.Server.Tests.Monitoring;

/// <summary>Issue 7 on a real <c>rampart serve</c>: a client that sends garbage instead of a TLS ClientHello is a
/// <c>tls.failure</c> audit line, and <c>rampart sessions kill --user U</c> ends every session of U and only those.</summary>
public sealed class TlsFailureAndKillUserTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private readonly RunningServer server = new("tls-kill");

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task Garbage_instead_of_a_client_hello_is_a_tls_failure_and_kill_user_ends_only_that_users_sessions()
    {
        await server.CliAsync(Password + "\n", "user", "add", "alice", "--password-stdin");
        await server.CliAsync(Password + "\n", "user", "add", "bob", "--password-stdin");
        server.Start();

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, server.Imaps);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\nHost: mail.test\r\n\r\n"));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var buffer = new byte[1024];
            try
            {
                while (await stream.ReadAsync(buffer, timeout.Token) > 0)
                {
                }
            }
            catch (IOException)
            {
                // A reset also ends the handshake.
            }
        }

        await using var alice1 = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Parse("127.0.0.2"));
        await using var alice2 = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Parse("127.0.0.3"));
        await using var bob = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Parse("127.0.0.4"));
        foreach (var (client, user) in new[] { (alice1, "alice"), (alice2, "alice"), (bob, "bob") })
        {
            await client.ReadLineAsync();
            Assert.StartsWith("a OK", await client.CommandAsync($"a LOGIN {user} {Password}"), StringComparison.Ordinal);
        }

        var kill = await server.CliAsync(string.Empty, "sessions", "kill", "--user", "alice");
        Assert.Contains("2 session(s) of alice ended", kill, StringComparison.Ordinal);
        Assert.True(await alice1.IsClosedAsync());
        Assert.True(await alice2.IsClosedAsync());
        Assert.StartsWith("n OK", await bob.CommandAsync("n NOOP"), StringComparison.Ordinal);

        await server.StopAsync();
        var lines = server.AuditLines();
        var failure = Assert.Single(lines, l => RunningServer.Field(l, "kind") == "tls.failure");
        Assert.Equal("imaps", RunningServer.Field(failure, "listener"));
        Assert.Equal("127.0.0.1", RunningServer.Field(failure, "ip"));
        Assert.False(string.IsNullOrEmpty(RunningServer.Field(failure, "reason")));
        var admin = Assert.Single(lines, l => RunningServer.Field(l, "action") == "sessions.kill-user");
        Assert.Equal("alice", RunningServer.Field(admin, "target"));
        Assert.Equal("2", RunningServer.Field(admin, "reason"));
    }
}
