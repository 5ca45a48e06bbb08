using System.Net;
using System.Text;
using MimeKit;
using Rampart.Smtp.Dkim;
using Rampart.Smtp.SenderChecks.DkimVerification;
using Rampart.Smtp.SenderChecks.Dns;

namespace Rampart.Smtp.Tests.Dkim;

/// <summary>DKIM (RFC 6376, RFC 8463): messages signed by <see cref="DkimMessageSigner"/> with keys from the keyring,
/// verified by <see cref="DkimChecker"/> against the public key published in dnsmasq.</summary>
public sealed class DkimSignVerifyTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("rampart-dkim-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    internal static string Message(string from = "Alice <alice@example.com>", string body = "Hello Bob,\r\n\r\nsee you at noon.\r\n") =>
        $"From: {from}\r\nTo: bob@example.net\r\nSubject: lunch\r\nDate: Fri, 27 Nov 2026 09:00:00 +0000\r\n" +
        $"Message-ID: <1@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}";

    internal static async Task<string> SignAsync(IMessageSigner signer, string message, string domain)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(message));
        var header = await signer.SignAsync(stream, domain);
        Assert.NotNull(header);
        return header + message;
    }

    private static async Task<IReadOnlyList<DkimOutcome>> VerifyAsync(LoopbackDns dns, string message)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(message));
        var parsed = await MimeMessage.LoadAsync(stream);
        return await new DkimChecker(new DnsResolver(dns.Endpoint)).VerifyAsync(parsed);
    }

    [Theory]
    [InlineData(DkimKeyAlgorithm.Rsa)]
    [InlineData(DkimKeyAlgorithm.Ed25519)]
    public async Task A_signed_message_verifies_and_a_changed_body_fails(DkimKeyAlgorithm algorithm)
    {
        var keyring = new DkimKeyring(data);
        var key = keyring.Create("example.com", "sel1", algorithm);
        await using var dns = await LoopbackDns.StartAsync(new DnsZone().Txt(key.DnsName, key.DnsRecord));
        var signed = await SignAsync(new DkimMessageSigner(keyring), Message(), "example.com");

        Assert.StartsWith("DKIM-Signature:", signed, StringComparison.Ordinal);
        var outcome = Assert.Single(await VerifyAsync(dns, signed));
        Assert.Equal((DkimResult.Pass, "example.com", "sel1"), (outcome.Result, outcome.Domain, outcome.Selector));

        var tampered = signed.Replace("noon", "nine", StringComparison.Ordinal);
        Assert.Equal(DkimResult.Fail, Assert.Single(await VerifyAsync(dns, tampered)).Result);
    }

    [Fact]
    public async Task The_signature_is_relaxed_sha256_and_oversigns_from()
    {
        var keyring = new DkimKeyring(data);
        var key = keyring.Create("example.com", "sel1");
        await using var dns = await LoopbackDns.StartAsync(new DnsZone().Txt(key.DnsName, key.DnsRecord));
        var signed = await SignAsync(new DkimMessageSigner(keyring), Message(), "example.com");
        var header = signed[..signed.IndexOf("From:", StringComparison.Ordinal)];
        var unfolded = header.Replace("\r\n", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        Assert.Contains("a=rsa-sha256", unfolded, StringComparison.Ordinal);
        Assert.Contains("c=relaxed/relaxed", unfolded, StringComparison.Ordinal);
        Assert.Equal(2, unfolded.Split("h=")[1].Split(';')[0].Split(':').Count(h => h.Equals("from", StringComparison.OrdinalIgnoreCase)));

        // A From added after signing breaks the signature (RFC 6376 §8.15).
        var added = header + "From: mallory@evil.example\r\n" + signed[header.Length..];
        Assert.Equal(DkimResult.Fail, Assert.Single(await VerifyAsync(dns, added)).Result);
        Assert.Equal(DkimResult.Pass, Assert.Single(await VerifyAsync(dns, signed)).Result);
    }

    [Fact]
    public async Task Missing_revoked_and_unreachable_keys()
    {
        var keyring = new DkimKeyring(data);
        keyring.Create("example.com", "sel1");
        var signed = await SignAsync(new DkimMessageSigner(keyring), Message(), "example.com");

        // §6.1.2: no key record, or a revoked (empty p=) key, is a permanent failure.
        await using (var none = await LoopbackDns.StartAsync(new DnsZone()))
        {
            Assert.Equal(DkimResult.PermError, Assert.Single(await VerifyAsync(none, signed)).Result);
        }

        await using (var revoked = await LoopbackDns.StartAsync(new DnsZone().Txt("sel1._domainkey.example.com", "v=DKIM1; k=rsa; p=")))
        {
            Assert.Equal(DkimResult.PermError, Assert.Single(await VerifyAsync(revoked, signed)).Result);
        }

        await using (var garbage = await LoopbackDns.StartAsync(new DnsZone().Txt("sel1._domainkey.example.com", "v=DKIM1; k=rsa; p=AAAA$$$")))
        {
            Assert.Equal(DkimResult.PermError, Assert.Single(await VerifyAsync(garbage, signed)).Result);
        }

        // A resolver that never answers: a temporary failure.
        using var silent = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var resolver = new DnsResolver(new DnsOptions { Servers = [silent.LocalEndPoint!.ToString()!], Timeout = TimeSpan.FromMilliseconds(200), Retries = 0 });
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(signed));
        var outcome = Assert.Single(await new DkimChecker(resolver).VerifyAsync(await MimeMessage.LoadAsync(stream)));
        Assert.Equal(DkimResult.TempError, outcome.Result);
    }

    [Fact]
    public async Task Unsigned_malformed_and_too_many_signatures()
    {
        await using var dns = await LoopbackDns.StartAsync(new DnsZone());
        Assert.Empty(await VerifyAsync(dns, Message()));

        var malformed = "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=x; h=from; bh=; b=\r\n" + Message();
        Assert.Equal(DkimResult.PermError, Assert.Single(await VerifyAsync(dns, malformed)).Result);

        var sha1 = "DKIM-Signature: v=1; a=rsa-sha1; d=example.com; s=x; h=from; bh=AA==; b=AA==\r\n" + Message();
        Assert.Equal(DkimResult.PermError, Assert.Single(await VerifyAsync(dns, sha1)).Result);

        var many = string.Concat(Enumerable.Range(0, 7).Select(i => $"DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s{i}; h=from; bh=AA==; b=AA==\r\n")) + Message();
        var outcomes = await VerifyAsync(dns, many);
        Assert.Equal(7, outcomes.Count);
        // The first five are evaluated (their body hash is wrong), the rest are not even looked at.
        Assert.All(outcomes.Take(DkimChecker.DefaultMaxSignatures), o => Assert.Equal(DkimResult.Fail, o.Result));
        Assert.All(outcomes.Skip(DkimChecker.DefaultMaxSignatures), o => Assert.Equal(DkimResult.Neutral, o.Result));
    }

    [Fact]
    public async Task Keyring_stores_0600_refuses_to_overwrite_and_signs_with_the_oldest_key()
    {
        var keyring = new DkimKeyring(data);
        var first = keyring.Create("Example.COM", "a2026");
        Assert.Equal(Path.Combine(data, "dkim", "example.com", "a2026.pem"), first.Path);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.Path));
        }

        Assert.Throws<IOException>(() => keyring.Create("example.com", "a2026"));
        Assert.Throws<ArgumentException>(() => keyring.Create("../etc", "x"));
        Assert.Throws<ArgumentException>(() => keyring.Create("example.com", "../x"));

        File.SetLastWriteTimeUtc(first.Path, DateTime.UtcNow.AddDays(-1));
        var second = keyring.Create("example.com", "b2026", DkimKeyAlgorithm.Ed25519);
        Assert.Equal("a2026", keyring.Find("example.com")!.Selector);
        Assert.Equal(["a2026", "b2026"], keyring.List().Select(k => k.Selector));
        Assert.Null(keyring.Find("example.org"));
        Assert.Null(await new DkimMessageSigner(keyring).SignAsync(new MemoryStream(Encoding.UTF8.GetBytes(Message())), "example.org"));

        var replaced = keyring.Create("example.com", "a2026", overwrite: true);
        Assert.NotEqual(first.PublicKey, replaced.PublicKey);
        Assert.StartsWith("v=DKIM1; k=ed25519; p=", second.DnsRecord, StringComparison.Ordinal);
        Assert.Equal(44, second.PublicKey.Length);
    }
}
