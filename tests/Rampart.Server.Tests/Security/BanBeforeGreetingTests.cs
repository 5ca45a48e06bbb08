using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Rampart.Server.Tests.Security;

/// <summary>B05/I01 over the real server: a ban added with the CLI (another process) refuses the client before the
/// greeting within the server's reload interval, and lifting it lets the client in again.</summary>
public sealed partial class BanBeforeGreetingTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "rampart-ban-" + Guid.NewGuid().ToString("N"));

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
    public async Task B05_cli_ban_is_refused_before_the_greeting_and_unban_restores_access()
    {
        var environment = new Dictionary<string, string>
        {
            ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__HostName"] = "mail.test",
            ["RAMPART__Security__Guard__BanReloadInterval"] = "00:00:00.200",
        };
        using var server = RampartProcess.Start(["serve", "--data", data], environment);
        var port = int.Parse(PortPattern().Match(server.WaitForLine(l => l.Contains("listening imaps", StringComparison.Ordinal))).Groups[1].Value);

        Assert.False(await IsClosedAtOnceAsync(port));

        var ban = await RampartProcess.RunAsync(string.Empty, "ban", "add", "127.0.0.1", "--reason", "test", "--data", data);
        Assert.True(ban.ExitCode == 0, ban.Error);
        Assert.True(await EventuallyAsync(() => IsClosedAtOnceAsync(port)), "the banned client was still let in");

        var lift = await RampartProcess.RunAsync(string.Empty, "ban", "remove", "127.0.0.1", "--data", data);
        Assert.True(lift.ExitCode == 0, lift.Error);
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

    [GeneratedRegex(@"127\.0\.0\.1:(\d+)")]
    private static partial Regex PortPattern();
}
