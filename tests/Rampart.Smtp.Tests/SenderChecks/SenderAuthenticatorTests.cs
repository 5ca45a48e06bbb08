using System.Net;
using System.Text;
using Rampart.Smtp.Dkim;
using Rampart.Smtp.SenderChecks;
using Rampart.Smtp.SenderChecks.DkimVerification;
using Rampart.Smtp.SenderChecks.Dmarc;
using Rampart.Smtp.SenderChecks.Dns;
using Rampart.Smtp.SenderChecks.Spf;
using Rampart.Smtp.Tests.Dkim;

namespace Rampart.Smtp.Tests.SenderChecks;

/// <summary>SPF + DKIM + DMARC (RFC 7489) composed, with the Authentication-Results value (RFC 8601), against dnsmasq.</summary>
public sealed class SenderAuthenticatorTests : IDisposable
{
    private static readonly IPAddress Allowed = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress Stranger = IPAddress.Parse("203.0.113.66");
    private readonly string data = Directory.CreateTempSubdirectory("rampart-dmarc-").FullName;
    private readonly DkimKeyring keyring;
    private readonly DkimKey key;

    public SenderAuthenticatorTests()
    {
        keyring = new DkimKeyring(data);
        key = keyring.Create("example.com", "sel1");
    }

    public void Dispose() => Directory.Delete(data, recursive: true);

    private DnsZone Zone(string dmarc) => new DnsZone()
        .Txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all")
        .Txt("mail.example.com", "v=spf1 ip4:192.0.2.0/24 -all")
        .Txt(key.DnsName, key.DnsRecord)
        .Txt("_dmarc.example.com", dmarc);

    private static async Task<SenderVerdict> EvaluateAsync(DnsZone zone, IPAddress client, string mailFrom, string message, int sample = 0)
    {
        await using var dns = await LoopbackDns.StartAsync(zone);
        var resolver = new DnsResolver(dns.Endpoint);
        var authenticator = new SenderAuthenticator("mx.rampart.test",
            new SpfChecker(resolver, "mx.rampart.test"), new DkimChecker(resolver), new DmarcChecker(resolver, sample: () => sample));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(message));
        return await authenticator.EvaluateAsync(new SenderFacts(client, "client.example.org", mailFrom), stream);
    }

    [Fact]
    public async Task Aligned_dkim_alone_passes_and_the_header_says_so()
    {
        var signed = await DkimSignVerifyTests.SignAsync(new DkimMessageSigner(keyring), DkimSignVerifyTests.Message(), "example.com");
        var verdict = await EvaluateAsync(Zone("v=DMARC1; p=reject"), Stranger, "bounce@elsewhere.example", signed);

        Assert.Equal(DmarcDisposition.None, verdict.Disposition);
        Assert.Equal(DmarcResult.Pass, verdict.Dmarc!.Result);
        Assert.Equal(SpfResult.None, verdict.Spf!.Result);
        var header = verdict.AuthenticationResults;
        Assert.StartsWith("mx.rampart.test;", header, StringComparison.Ordinal);
        Assert.Contains("\tspf=none (", header, StringComparison.Ordinal);
        Assert.Contains("smtp.mailfrom=bounce@elsewhere.example", header, StringComparison.Ordinal);
        Assert.Matches(@"dkim=pass \([^)]*\) header\.d=example\.com header\.s=sel1", header);
        Assert.Matches(@"dmarc=pass \(p=reject[^)]*\) header\.from=example\.com", header);
    }

    [Fact]
    public async Task Aligned_spf_alone_passes_with_relaxed_alignment_of_a_subdomain()
    {
        var verdict = await EvaluateAsync(Zone("v=DMARC1; p=reject"), Allowed, "bounce@mail.example.com", DkimSignVerifyTests.Message());
        Assert.Equal((DmarcResult.Pass, DmarcDisposition.None), (verdict.Dmarc!.Result, verdict.Disposition));
        Assert.Contains("dkim=none", verdict.AuthenticationResults, StringComparison.Ordinal);
        Assert.Contains("spf=pass", verdict.AuthenticationResults, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strict_spf_alignment_refuses_the_subdomain()
    {
        var verdict = await EvaluateAsync(Zone("v=DMARC1; p=reject; aspf=s"), Allowed, "bounce@mail.example.com", DkimSignVerifyTests.Message());
        Assert.Equal((DmarcResult.Fail, DmarcDisposition.Reject), (verdict.Dmarc!.Result, verdict.Disposition));
        Assert.Equal(SpfResult.Pass, verdict.Spf!.Result);
    }

    [Fact]
    public async Task Strict_dkim_alignment_refuses_a_parent_domain_signature()
    {
        var signed = await DkimSignVerifyTests.SignAsync(new DkimMessageSigner(keyring),
            DkimSignVerifyTests.Message(from: "Alice <alice@news.example.com>"), "example.com");
        var zone = Zone("v=DMARC1; p=reject").Txt("_dmarc.news.example.com", "v=DMARC1; p=quarantine; adkim=s");
        var strict = await EvaluateAsync(zone, Stranger, "b@elsewhere.example", signed);
        Assert.Equal((DkimResult.Pass, DmarcResult.Fail, DmarcDisposition.Quarantine),
            (Assert.Single(strict.Dkim).Result, strict.Dmarc!.Result, strict.Disposition));

        var relaxed = await EvaluateAsync(Zone("v=DMARC1; p=reject").Txt("_dmarc.news.example.com", "v=DMARC1; p=quarantine"), Stranger, "b@elsewhere.example", signed);
        Assert.Equal(DmarcResult.Pass, relaxed.Dmarc!.Result);
    }

    [Theory]
    [InlineData("v=DMARC1; p=reject", 0, DmarcDisposition.Reject)]
    [InlineData("v=DMARC1; p=quarantine", 0, DmarcDisposition.Quarantine)]
    [InlineData("v=DMARC1; p=none", 0, DmarcDisposition.None)]
    [InlineData("v=DMARC1; p=reject; pct=0", 0, DmarcDisposition.Quarantine)]
    [InlineData("v=DMARC1; p=quarantine; pct=0", 0, DmarcDisposition.None)]
    [InlineData("v=DMARC1; p=reject; pct=50", 49, DmarcDisposition.Reject)]
    [InlineData("v=DMARC1; p=reject; pct=50", 50, DmarcDisposition.Quarantine)]
    [InlineData("v=DMARC1; p=bogus", 0, DmarcDisposition.None)]
    [InlineData("p=reject; v=DMARC1", 0, DmarcDisposition.None)]
    public async Task A_failing_message_gets_the_policy(string record, int sample, DmarcDisposition expected)
    {
        var verdict = await EvaluateAsync(Zone(record), Stranger, "alice@example.com", DkimSignVerifyTests.Message(), sample);
        Assert.Equal(SpfResult.Fail, verdict.Spf!.Result);
        Assert.Equal(expected, verdict.Disposition);
    }

    [Fact]
    public async Task Subdomains_fall_back_to_the_organizational_record_and_its_sp()
    {
        var verdict = await EvaluateAsync(Zone("v=DMARC1; p=reject; sp=quarantine"), Stranger, "a@deep.sub.example.com",
            DkimSignVerifyTests.Message(from: "a@deep.sub.example.com"));
        Assert.Equal((DmarcResult.Fail, DmarcPolicy.Quarantine, DmarcDisposition.Quarantine),
            (verdict.Dmarc!.Result, verdict.Dmarc.Policy, verdict.Disposition));
        Assert.Contains("header.from=deep.sub.example.com", verdict.AuthenticationResults, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_record_is_none_and_two_from_fields_are_a_permerror()
    {
        var none = await EvaluateAsync(new DnsZone(), Stranger, "a@example.org", DkimSignVerifyTests.Message(from: "a@example.org"));
        Assert.Equal((DmarcResult.None, DmarcDisposition.None), (none.Dmarc!.Result, none.Disposition));

        var twice = "From: mallory@evil.example\r\n" + DkimSignVerifyTests.Message();
        var verdict = await EvaluateAsync(Zone("v=DMARC1; p=none"), Allowed, "alice@example.com", twice);
        Assert.Equal((DmarcResult.PermError, DmarcDisposition.Reject), (verdict.Dmarc!.Result, verdict.Disposition));

        // No From at all names no domain to spoof: recorded, delivered.
        var anonymous = await EvaluateAsync(Zone("v=DMARC1; p=reject"), Stranger, "a@example.org", "Subject: no author\r\n\r\nbody\r\n");
        Assert.Equal((DmarcResult.PermError, DmarcDisposition.None), (anonymous.Dmarc!.Result, anonymous.Disposition));
        Assert.Contains("dmarc=permerror", anonymous.AuthenticationResults, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_values_cannot_break_out_of_the_header()
    {
        var verdict = await EvaluateAsync(new DnsZone(), Stranger, "\"x; dmarc=pass\"@example.org",
            "DKIM-Signature: v=1; a=rsa-sha256; d=ex(ample.org; s=a;b; h=from; bh=AA==; b=AA==\r\n" + DkimSignVerifyTests.Message(from: "a@example.org"));
        var header = verdict.AuthenticationResults;
        Assert.DoesNotContain("\r\n\tdmarc=pass", header, StringComparison.Ordinal);
        Assert.Contains("smtp.mailfrom=\"\\\"x; dmarc=pass\\\"@example.org\"", header, StringComparison.Ordinal);
        Assert.Contains("header.d=\"ex(ample.org\"", header, StringComparison.Ordinal);
        Assert.Equal(4, header.Split(";\r\n\t").Length);
    }

    [Fact]
    public void Organizational_domains_use_the_public_suffix_list_when_present()
    {
        var list = new OrganizationalDomain();
        Assert.True(list.HasList, "Debian's publicsuffix package provides " + OrganizationalDomain.DefaultListPath);
        Assert.Equal("example.co.uk", list.Of("a.b.example.co.uk"));
        Assert.Equal("example.com", list.Of("mail.example.com."));
        var fallback = new OrganizationalDomain(listPath: null);
        Assert.Equal("co.uk", fallback.Of("a.b.example.co.uk"));
        Assert.Equal("example.com", fallback.Of("x.example.com"));
    }
}
