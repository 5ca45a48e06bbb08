using System.Net;

namespace Rampart.Server.Tests.Security;

/// <summary>SECURITY.md I01 per protocol over the real server: a server-wide rule added with
/// <c>rampart access deny --protocol imap NET</c> (another process, while the server runs) closes that network's IMAPS
/// connections before the greeting, while its POP3S connections and other networks' IMAPS connections still greet.</summary>
public sealed class PerProtocolAccessTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "rampart-access-" + Guid.NewGuid().ToString("N")[..8]);

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
    public async Task I01_a_server_wide_imap_deny_closes_imaps_before_the_greeting_while_pop3s_still_greets()
    {
        await using var server = await GuardedServer.StartAsync(data, new Dictionary<string, string>(), "alice");
        var denied = IPAddress.Loopback;
        var other = IPAddress.Parse("127.0.0.2");
        Assert.False(await LoopbackTlsClient.IsClosedAtOnceAsync(server.Imaps, denied), "IMAPS refused before any rule");

        var deny = await RampartProcess.RunAsync(string.Empty, "access", "deny", "--protocol", "imap", "127.0.0.1/32", "--data", data);
        Assert.True(deny.ExitCode == 0, deny.Error + deny.Output);

        Assert.True(await EventuallyAsync(() => LoopbackTlsClient.IsClosedAtOnceAsync(server.Imaps, denied)), "the imap-only deny rule was not enforced on IMAPS");
        await using (var pop3 = await LoopbackTlsClient.ConnectAsync(server.Pop3s, denied))
        {
            Assert.StartsWith("+OK", await pop3.ReadLineAsync(), StringComparison.Ordinal);
        }

        await using (var imap = await LoopbackTlsClient.ConnectAsync(server.Imaps, other))
        {
            Assert.StartsWith("* OK", await imap.ReadLineAsync(), StringComparison.Ordinal);
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
