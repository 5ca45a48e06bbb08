using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using Rampart.Smtp.SenderChecks.DkimVerification;
using Rampart.Smtp.SenderChecks.Dns;

namespace Rampart.Smtp.Tests.Dkim;

/// <summary>The DKIM tags the verifier has to judge itself (RFC 6376 §3.5): a body length count <c>l=</c> that leaves
/// appended content unsigned is <c>policy</c>, not pass (§8.2), and an AUID <c>i=</c> outside the signing domain is a
/// permerror. The signatures are made here, by hand (relaxed/relaxed, rsa-sha256), since no signer writes l=.</summary>
public sealed partial class DkimLengthAndIdentityTests
{
    private const string Body = "Hello Bob,\r\n\r\nsee  you at noon.  \r\n\r\n";

    [Fact]
    public async Task A_body_length_count_passes_only_when_it_covers_the_whole_body()
    {
        using var rsa = RSA.Create(2048);
        await using var dns = await StartDnsAsync(rsa);

        // Relaxed body: "Hello Bob,\r\n\r\nsee you at noon.\r\n" = 12 + 2 + 18 octets.
        var whole = Sign(rsa, Body, "d=example.com; l=32");
        Assert.Equal((DkimResult.Pass, "signature verified"), await VerifyAsync(dns, whole));

        // Content appended after signing: the signed part still verifies, but the rest is nobody's word.
        var appended = whole + "Click http://evil.example/ now\r\n";
        var (result, reason) = await VerifyAsync(dns, appended);
        Assert.Equal(DkimResult.Policy, result);
        Assert.Contains("signs 32 of 66", reason, StringComparison.Ordinal);

        // Whitespace and empty lines at the end do not count (relaxed canonicalization).
        Assert.Equal(DkimResult.Pass, (await VerifyAsync(dns, whole + "  \r\n\r\n")).Result);

        // A count that covers only the first lines of the original.
        Assert.Equal(DkimResult.Policy, (await VerifyAsync(dns, Sign(rsa, Body, "d=example.com; l=14"))).Result);

        // A count beyond the body is invalid (§3.5 l=), as is one that is not a number.
        Assert.Equal(DkimResult.Fail, (await VerifyAsync(dns, Sign(rsa, Body, "d=example.com; l=33", bodyHashLength: 32))).Result);
        Assert.Equal(DkimResult.PermError, (await VerifyAsync(dns, Sign(rsa, Body, "d=example.com; l=-1", bodyHashLength: 32))).Result);

        // Without l= the appended content breaks the body hash.
        var unlimited = Sign(rsa, Body, "d=example.com");
        Assert.Equal(DkimResult.Pass, (await VerifyAsync(dns, unlimited)).Result);
        Assert.Equal(DkimResult.Fail, (await VerifyAsync(dns, unlimited + "more\r\n")).Result);
    }

    [Fact]
    public async Task The_agent_identifier_must_be_in_the_signing_domain()
    {
        using var rsa = RSA.Create(2048);
        await using var dns = await StartDnsAsync(rsa);

        Assert.Equal(DkimResult.Pass, (await VerifyAsync(dns, Sign(rsa, Body, "d=example.com; i=alice@example.com"))).Result);
        Assert.Equal(DkimResult.Pass, (await VerifyAsync(dns, Sign(rsa, Body, "d=example.com; i=@mail.Example.COM"))).Result);

        var (result, reason) = await VerifyAsync(dns, Sign(rsa, Body, "d=example.com; i=alice@example.net"));
        Assert.Equal(DkimResult.PermError, result);
        Assert.Contains("not in the signing domain", reason, StringComparison.Ordinal);

        // A suffix that is not a label boundary is another domain.
        Assert.Equal(DkimResult.PermError, (await VerifyAsync(dns, Sign(rsa, Body, "d=example.com; i=@badexample.com"))).Result);
        Assert.Equal(DkimResult.PermError, (await VerifyAsync(dns, Sign(rsa, Body, "d=example.com; i=no-at-sign.example.com"))).Result);
    }

    [Theory]
    [InlineData("", false, 2)]
    [InlineData("", true, 0)]
    [InlineData("a\r\n\r\n\r\n", false, 3)]
    [InlineData("a \t b \t\r\n \r\n", true, 5)]
    [InlineData("a \t b \t\r\n \r\n", false, 12)]
    [InlineData("no line end", false, 13)]
    [InlineData("no  line end ", true, 13)]
    [InlineData(" \r\nx", true, 5)]
    public void The_canonical_body_length_follows_simple_and_relaxed(string body, bool relaxed, long expected)
    {
        using var counter = new CanonicalBodyLength(relaxed);
        var bytes = Encoding.ASCII.GetBytes(body);

        // Byte by byte, so that a CR and its LF arrive in different writes.
        foreach (var b in bytes)
        {
            counter.Write([b]);
        }

        Assert.Equal(expected, counter.BodyLength);
    }

    private static async Task<LoopbackDns> StartDnsAsync(RSA rsa) =>
        await LoopbackDns.StartAsync(new DnsZone().Txt("sel._domainkey.example.com", "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())));

    private static async Task<(DkimResult Result, string Reason)> VerifyAsync(LoopbackDns dns, string message)
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(message));
        var parsed = await MimeMessage.LoadAsync(stream);
        var outcome = Assert.Single(await new DkimChecker(new DnsResolver(dns.Endpoint)).VerifyAsync(parsed));
        return (outcome.Result, outcome.Reason);
    }

    /// <summary>A message whose DKIM-Signature (relaxed/relaxed, rsa-sha256, h=from:to:subject) carries
    /// <paramref name="tags"/>; the body hash covers the canonical body's first <paramref name="bodyHashLength"/> octets
    /// (the l= value when absent, else all of it).</summary>
    private static string Sign(RSA rsa, string body, string tags, long? bodyHashLength = null)
    {
        const string Header = "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: lunch\r\n";
        var canonical = Encoding.ASCII.GetBytes(RelaxedBody(body));
        var limit = bodyHashLength ?? (LengthTag().Match(tags) is { Success: true } m ? long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : canonical.Length);
        var bodyHash = Convert.ToBase64String(SHA256.HashData(canonical.AsSpan(0, (int)Math.Min(limit, canonical.Length))));
        var signature = $"v=1; a=rsa-sha256; c=relaxed/relaxed; s=sel; {tags}; h=from:to:subject; bh={bodyHash}; b=";
        var signed = new StringBuilder();
        foreach (var line in Header.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            signed.Append(RelaxedHeader(line)).Append("\r\n");
        }

        signed.Append(RelaxedHeader("DKIM-Signature: " + signature));
        var b = Convert.ToBase64String(rsa.SignData(Encoding.ASCII.GetBytes(signed.ToString()), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return $"DKIM-Signature: {signature}{b}\r\n{Header}\r\n{body}";
    }

    // RFC 6376 §3.4.2: lower-case name, unfolded, whitespace runs to one space, none around the colon.
    private static string RelaxedHeader(string field)
    {
        var colon = field.IndexOf(':', StringComparison.Ordinal);
        return field[..colon].Trim().ToLowerInvariant() + ":" + Whitespace().Replace(field[(colon + 1)..], " ").Trim();
    }

    // RFC 6376 §3.4.4.
    private static string RelaxedBody(string body)
    {
        var lines = body.Split("\r\n").Select(l => Whitespace().Replace(l, " ").TrimEnd(' ')).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines.Count == 0 ? "" : string.Join("\r\n", lines) + "\r\n";
    }

    [GeneratedRegex("[ \t]+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"l=(\d+)")]
    private static partial Regex LengthTag();
}
