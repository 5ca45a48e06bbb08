using System.Net;

namespace Rampart.Server.Tests.Security;

/// <summary>SECURITY.md I03, the IMAP ID half (RFC 2971): a client that names another address in
/// <c>ID ("x-originating-ip" …)</c> is still judged by its socket address. Its failures count there and its ban lands
/// there; the address it named is untouched. (The PROXY half is in Rampart.Net.Tests AdmissionTests.)</summary>
public sealed class OriginatingIpTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "rampart-i03-" + Guid.NewGuid().ToString("N")[..8]);

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
    public async Task I03_an_x_originating_ip_in_id_moves_neither_the_failures_nor_the_ban_off_the_socket_address()
    {
        var settings = new Dictionary<string, string> { ["Security:Guard:BanThreshold"] = "3" };
        await using var server = await GuardedServer.StartAsync(data, settings, "alice");
        var attacker = IPAddress.Parse("127.0.2.10");
        var named = IPAddress.Parse("127.0.2.99");

        await using (var imap = await LoopbackTlsClient.ConnectAsync(server.Imaps, attacker))
        {
            Assert.StartsWith("* OK", await imap.ReadLineAsync(), StringComparison.Ordinal);
            Assert.StartsWith("a0 OK", await imap.CommandAsync("a0 ID (\"name\" \"probe\" \"x-originating-ip\" \"127.0.2.99\")"), StringComparison.Ordinal);
            foreach (var (tag, guess) in new[] { ("a1", "Wrong-One-1!"), ("a2", "Wrong-Two-2!") })
            {
                Assert.StartsWith(tag + " NO [AUTHENTICATIONFAILED]", await imap.CommandAsync($"{tag} LOGIN alice \"{guess}\""), StringComparison.Ordinal);
            }

            // The third failure bans and ends the session; its reply is not asserted (a refusal or a close).
            try
            {
                await imap.CommandAsync("a3 LOGIN alice \"Wrong-Three-3!\"");
            }
            catch (IOException)
            {
            }
        }

        Assert.True(await EventuallyAsync(() => LoopbackTlsClient.IsClosedAtOnceAsync(server.Imaps, attacker)), "the socket address was not banned");

        // The address the client named was never the one judged: it greets and its owner logs in.
        await using var owner = await LoopbackTlsClient.ConnectAsync(server.Imaps, named);
        Assert.StartsWith("* OK", await owner.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("b1 OK", await owner.CommandAsync($"b1 LOGIN alice \"{GuardedServer.Password}\""), StringComparison.Ordinal);
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
