using System.Security.Cryptography;
using System.Text;
using Rampart.Server.Tests.Support;

namespace Rampart.Server.Tests.Security;

/// <summary>A10 and the per-account opt-in over the real server: with <c>Security:LegacyMechanisms</c> on and
/// <c>rampart user legacy enable NAME --mechanism cram-md5</c>, CRAM-MD5 (RFC 2195) works for that account only; the
/// right password of an account that was not opted in fails the same mechanism with the generic reply.</summary>
public sealed class LegacyMechanismTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private readonly RunningServer server = new("legacy");

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task Cram_md5_works_for_the_opted_in_account_only()
    {
        await server.CliAsync(Password + "\n", "user", "add", "cora", "--password-stdin");
        await server.CliAsync(Password + "\n", "user", "add", "otto", "--password-stdin");
        await server.CliAsync(Password + "\n", "user", "legacy", "enable", "cora", "--mechanism", "cram-md5", "--password-stdin");
        server.Start(new Dictionary<string, string> { ["Security__LegacyMechanisms"] = "true" });

        Assert.StartsWith("+OK", await CramMd5Async("cora"), StringComparison.Ordinal);
        Assert.Equal("-ERR [AUTH] Authentication failed", await CramMd5Async("otto"));

        // The same over IMAP AUTHENTICATE: offered inside TLS, works for cora only.
        Assert.StartsWith("a OK", await ImapCramMd5Async("cora"), StringComparison.Ordinal);
        Assert.StartsWith("a NO [AUTHENTICATIONFAILED]", await ImapCramMd5Async("otto"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cram_md5_is_not_offered_by_default()
    {
        await server.CliAsync(Password + "\n", "user", "add", "cora", "--password-stdin");
        await server.CliAsync(Password + "\n", "user", "legacy", "enable", "cora", "--mechanism", "cram-md5", "--password-stdin");
        server.Start();

        await using var imap = await WireClient.ConnectAsync(server.Imaps, "imap");
        var greeting = await imap.ReadLineAsync();
        Assert.Contains("AUTH=PLAIN", greeting, StringComparison.Ordinal);
        Assert.DoesNotContain("CRAM-MD5", greeting, StringComparison.Ordinal);
        await imap.SendAsync("a AUTHENTICATE CRAM-MD5\r\n");
        Assert.StartsWith("a NO", await imap.ReadLineAsync(), StringComparison.Ordinal);
    }

    private async Task<string> ImapCramMd5Async(string user)
    {
        await using var imap = await WireClient.ConnectAsync(server.Imaps, "imap");
        var greeting = await imap.ReadLineAsync();
        Assert.Contains("AUTH=CRAM-MD5", greeting, StringComparison.Ordinal);
        await imap.SendAsync("a AUTHENTICATE CRAM-MD5\r\n");
        var challenge = await imap.ReadLineAsync();
        Assert.StartsWith("+ ", challenge, StringComparison.Ordinal);
#pragma warning disable CA5351
        var digest = Convert.ToHexStringLower(HMACMD5.HashData(Encoding.UTF8.GetBytes(Password), Convert.FromBase64String(challenge[2..])));
#pragma warning restore CA5351
        await imap.SendAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(user + " " + digest)) + "\r\n");
        while (true)
        {
            var line = await imap.ReadLineAsync();
            if (line.StartsWith("a ", StringComparison.Ordinal))
            {
                return line;
            }
        }
    }

    private async Task<string> CramMd5Async(string user)
    {
        await using var pop3 = await WireClient.ConnectAsync(server.Pop3s, "pop3");
        await pop3.ReadLineAsync();
        var challenge = await pop3.Pop3Async("AUTH CRAM-MD5");
        Assert.StartsWith("+ ", challenge, StringComparison.Ordinal);
        // CRAM-MD5 is HMAC-MD5 by definition (RFC 2195): the weakness is why it is opt-in.
#pragma warning disable CA5351
        var digest = Convert.ToHexStringLower(HMACMD5.HashData(Encoding.UTF8.GetBytes(Password), Convert.FromBase64String(challenge[2..])));
#pragma warning restore CA5351
        return await pop3.Pop3Async(Convert.ToBase64String(Encoding.UTF8.GetBytes(user + " " + digest)));
    }
}
