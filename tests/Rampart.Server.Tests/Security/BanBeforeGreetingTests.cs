using System.Net.Sockets;

namespace Rampart.Server.Tests.Security;

/// <summary>B05/I01 over the real server: a ban added with the CLI (another process) refuses the client before the
/// greeting within the server's reload interval, and lifting it lets the client in again.</summary>
public sealed class BanBeforeGreetingTests : IDisposable
{
    private readonly ServeFixture serve = new("ban");

    public void Dispose() => serve.Dispose();

    [Fact]
    public async Task B05_cli_ban_is_refused_before_the_greeting_and_unban_restores_access()
    {
        serve.Set("Security:Guard:BanReloadInterval", "00:00:00.200").Start("imaps");
        var port = serve.Ports["imaps"];

        Assert.False(await IsClosedAtOnceAsync(port));

        await serve.CliAsync(string.Empty, "ban", "add", "127.0.0.1", "--reason", "test");
        Assert.True(await EventuallyAsync(() => IsClosedAtOnceAsync(port)), "the banned client was still let in");

        await serve.CliAsync(string.Empty, "ban", "remove", "127.0.0.1");
        Assert.True(await EventuallyAsync(async () => !await IsClosedAtOnceAsync(port)), "the unbanned client was still refused");
    }

    /// <summary>True when the server closes a fresh connection without waiting for a TLS ClientHello: refused at accept.
    /// An admitted client on an implicit-TLS port gets no byte and no close until its handshake times out.</summary>
    private static async Task<bool> IsClosedAtOnceAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var buffer = new byte[16];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            return await client.GetStream().ReadAsync(buffer, timeout.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 20; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }
}
