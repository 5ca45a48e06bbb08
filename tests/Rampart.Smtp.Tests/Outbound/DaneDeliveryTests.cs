using System.Collections.Concurrent;
using Rampart.Smtp.Outbound;
using Rampart.Smtp.Outbound.Dane;
using Rampart.Smtp.Queue;
using Rampart.Smtp.SenderChecks.Dns;
using Rampart.Smtp.Tests.Queue;

namespace Rampart.Smtp.Tests.Outbound;

/// <summary>DANE for SMTP (RFC 7672) end to end: the zone is signed and served by NSD, Unbound validates it (the AD bit
/// is real), the MX is a real SMTP receiver with STARTTLS.</summary>
public sealed class DaneDeliveryTests
{
    private static readonly string[] Zone = ["example.test. IN MX 10 mx1.example.test.", "mx1.example.test. IN A 127.0.0.1"];

    [Fact]
    public async Task DANE_EE_match_delivers_over_TLS()
    {
        var certificate = TestAuthority.SelfSigned("mx1.example.test");
        var hash = Convert.ToHexString(TlsaMatcherTests.Data(certificate, 1, 1));
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start(certificate: certificate);
        await using var dns = await ValidatingDns.StartAsync("example.test", [.. Zone, $"_25._tcp.mx1.example.test. IN TLSA 3 1 1 {hash}"]);
        var failures = Configure(fixture, sink.Port, dns.Endpoint);

        Assert.Null(await AttemptAsync(fixture, failures));

        Assert.True(Assert.Single(sink.Messages).Tls);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task DANE_EE_mismatch_defers_without_sending()
    {
        var certificate = TestAuthority.SelfSigned("mx1.example.test");
        using var other = TestAuthority.SelfSigned("mx1.example.test");
        var hash = Convert.ToHexString(TlsaMatcherTests.Data(other, 1, 1));
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start(certificate: certificate);
        await using var dns = await ValidatingDns.StartAsync("example.test", [.. Zone, $"_25._tcp.mx1.example.test. IN TLSA 3 1 1 {hash}"]);
        var failures = Configure(fixture, sink.Port, dns.Endpoint);

        var envelope = await AttemptAsync(fixture, failures);

        var recipient = Assert.Single(envelope!.Recipients);
        Assert.Equal(RecipientStatus.Pending, recipient.Status);
        Assert.Equal("4.7.5", recipient.StatusCode);
        Assert.Empty(sink.Messages);
        Assert.DoesNotContain(sink.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
        var failure = Assert.Single(failures);
        Assert.Equal(TlsPolicyKind.Dane, failure.Policy);
        Assert.True(failure.Enforced);
    }

    [Theory]
    [InlineData("mx1.example.test", true)]
    [InlineData("example.test", true)]
    [InlineData("other.example.test", false)]
    public async Task DANE_TA_accepts_a_chain_to_the_pinned_CA_that_names_the_MX_host_or_the_domain(string name, bool delivered)
    {
        // RFC 7672 §3.2.2: with DANE-TA the certificate must also carry a reference identifier. The record carries the
        // whole CA certificate ("2 0 0", RFC 7671 §5.2.2): a TLS server leaves a self-signed root out of the chain it
        // sends, so a digest of it would have nothing to match.
        using var authority = new TestAuthority();
        var hash = Convert.ToHexString(authority.Certificate.RawData);
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start(certificate: authority.Issue(name));
        sink.ChainCertificates = [authority.Certificate];
        await using var dns = await ValidatingDns.StartAsync("example.test", [.. Zone, $"_25._tcp.mx1.example.test. IN TLSA 2 0 0 {hash}"]);
        var failures = Configure(fixture, sink.Port, dns.Endpoint);

        var envelope = await AttemptAsync(fixture, failures);

        if (delivered)
        {
            Assert.Null(envelope);
            Assert.True(Assert.Single(sink.Messages).Tls);
        }
        else
        {
            Assert.Equal("4.7.5", Assert.Single(envelope!.Recipients).StatusCode);
            Assert.Empty(sink.Messages);
            Assert.Equal(TlsPolicyKind.Dane, Assert.Single(failures).Policy);
        }
    }

    [Fact]
    public async Task DANE_makes_TLS_mandatory_when_STARTTLS_is_missing()
    {
        using var certificate = TestAuthority.SelfSigned("mx1.example.test");
        var hash = Convert.ToHexString(TlsaMatcherTests.Data(certificate, 1, 1));
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start();
        await using var dns = await ValidatingDns.StartAsync("example.test", [.. Zone, $"_25._tcp.mx1.example.test. IN TLSA 3 1 1 {hash}"]);
        var failures = Configure(fixture, sink.Port, dns.Endpoint);

        var envelope = await AttemptAsync(fixture, failures);

        Assert.Equal("4.7.5", Assert.Single(envelope!.Recipients).StatusCode);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task Without_the_AD_bit_TLSA_records_are_ignored_and_delivery_is_opportunistic()
    {
        // dnsmasq serves the same TLSA record (not matching the certificate) without DNSSEC: no AD bit, so DANE does
        // not apply even though the resolver is declared validating.
        var certificate = TestAuthority.SelfSigned("mx1.example.test");
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start(certificate: certificate);
        await using var dns = await LoopbackDns.StartAsync(new DnsZone()
            .Mx("example.test", "mx1.example.test", 10).A("mx1.example.test", "127.0.0.1")
            .Tlsa("_25._tcp.mx1.example.test", 3, 1, 1, new string('0', 64)));
        var failures = Configure(fixture, sink.Port, dns.Endpoint);

        Assert.Null(await AttemptAsync(fixture, failures));

        Assert.True(Assert.Single(sink.Messages).Tls);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task The_AD_bit_decides_whether_MX_and_TLSA_answers_count()
    {
        var tlsa = $"_25._tcp.mx1.example.test. IN TLSA 3 1 1 {new string('a', 64)}";
        await using var signed = await ValidatingDns.StartAsync("example.test", [.. Zone, tlsa]);
        await using var plain = await LoopbackDns.StartAsync(new DnsZone()
            .Mx("example.test", "mx1.example.test", 10).A("mx1.example.test", "127.0.0.1")
            .Tlsa("_25._tcp.mx1.example.test", 3, 1, 1, new string('a', 64)));

        var secure = new DaneLookup(new DnsResolver(signed.Endpoint));
        Assert.True(await secure.IsMxSecureAsync("example.test", CancellationToken.None));
        var required = await secure.LookupAsync("mx1.example.test", CancellationToken.None);
        Assert.Equal(DaneRequirementKind.Required, required.Kind);
        Assert.Equal(new TlsaAssociation(3, 1, 1, Convert.FromHexString(new string('a', 64))).Data, Assert.Single(required.Records).Data);
        Assert.Equal(DaneRequirementKind.None, (await secure.LookupAsync("mx2.example.test", CancellationToken.None)).Kind);

        var insecure = new DaneLookup(new DnsResolver(plain.Endpoint));
        Assert.False(await insecure.IsMxSecureAsync("example.test", CancellationToken.None));
        Assert.Equal(DaneRequirementKind.None, (await insecure.LookupAsync("mx1.example.test", CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task TLSA_records_are_not_used_when_the_MX_host_addresses_are_insecure()
    {
        // RFC 7672 §2.2.2: the MX RRset is secure, the host name is a signed CNAME into an unsigned zone, so its address
        // records are insecure: no TLSA lookup, even though a secure (and mismatching) TLSA record exists at the name.
        var certificate = TestAuthority.SelfSigned("mx1.example.test");
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start(certificate: certificate);
        await using var dns = await ValidatingDns.StartAsync("example.test",
            ["example.test. IN MX 10 mx1.example.test.", "mx1.example.test. IN CNAME mx.unsigned.test.", $"_25._tcp.mx1.example.test. IN TLSA 3 1 1 {new string('0', 64)}"],
            "unsigned.test", ["mx.unsigned.test. IN A 127.0.0.1"]);

        var lookup = new DaneLookup(new DnsResolver(dns.Endpoint));
        Assert.True(await lookup.IsMxSecureAsync("example.test", CancellationToken.None));
        Assert.Equal(DaneRequirementKind.None, (await lookup.LookupAsync("mx1.example.test", CancellationToken.None)).Kind);

        var failures = Configure(fixture, sink.Port, dns.Endpoint);
        Assert.Null(await AttemptAsync(fixture, failures));
        Assert.True(Assert.Single(sink.Messages).Tls);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task TLSA_records_at_the_CNAME_expanded_name_come_before_those_at_the_MX_host_name()
    {
        // RFC 7672 §2.2.2: mx1 is a secure alias of mxhost; the matching record is at the expanded name and wins over the
        // mismatching one at the original name.
        var certificate = TestAuthority.SelfSigned("mxhost.example.test");
        var hash = Convert.ToHexString(TlsaMatcherTests.Data(certificate, 1, 1));
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start(certificate: certificate);
        await using var dns = await ValidatingDns.StartAsync("example.test",
            "example.test. IN MX 10 mx1.example.test.", "mx1.example.test. IN CNAME mxhost.example.test.", "mxhost.example.test. IN A 127.0.0.1",
            $"_25._tcp.mxhost.example.test. IN TLSA 3 1 1 {hash}", $"_25._tcp.mx1.example.test. IN TLSA 3 1 1 {new string('0', 64)}",
            "mx2.example.test. IN CNAME mxhost2.example.test.", "mxhost2.example.test. IN A 127.0.0.1",
            $"_25._tcp.mx2.example.test. IN TLSA 3 1 1 {new string('b', 64)}");

        var lookup = new DaneLookup(new DnsResolver(dns.Endpoint));
        var expanded = await lookup.LookupAsync("mx1.example.test", CancellationToken.None);
        Assert.Equal(DaneRequirementKind.Required, expanded.Kind);
        Assert.Equal("mxhost.example.test", expanded.BaseDomain);
        Assert.Equal(Convert.FromHexString(hash), Assert.Single(expanded.Records).Data);

        // No TLSA records at the expanded name: the original name's are used.
        var original = await lookup.LookupAsync("mx2.example.test", CancellationToken.None);
        Assert.Equal(DaneRequirementKind.Required, original.Kind);
        Assert.Equal("mx2.example.test", original.BaseDomain);
        Assert.Equal(Convert.FromHexString(new string('b', 64)), Assert.Single(original.Records).Data);

        var failures = Configure(fixture, sink.Port, dns.Endpoint);
        Assert.Null(await AttemptAsync(fixture, failures));
        Assert.True(Assert.Single(sink.Messages).Tls);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task With_DANE_switched_off_a_mismatching_TLSA_record_is_not_consulted()
    {
        var certificate = TestAuthority.SelfSigned("mx1.example.test");
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start(certificate: certificate);
        await using var dns = await ValidatingDns.StartAsync("example.test", [.. Zone, $"_25._tcp.mx1.example.test. IN TLSA 3 1 1 {new string('0', 64)}"]);
        var failures = Configure(fixture, sink.Port, dns.Endpoint);
        fixture.Options.TransportSecurity.Dane = false;

        Assert.Null(await AttemptAsync(fixture, failures));
        Assert.Single(sink.Messages);
    }

    [Fact]
    public async Task DANE_takes_precedence_over_an_MTA_STS_policy_the_certificate_would_fail()
    {
        // The MX certificate is self-signed: MTA-STS enforce alone would refuse it (see MtaStsDeliveryTests); the secure
        // TLSA record that pins it wins (RFC 8461 §2).
        using var authority = new TestAuthority();
        var certificate = TestAuthority.SelfSigned("mx1.example.test");
        var hash = Convert.ToHexString(TlsaMatcherTests.Data(certificate, 1, 1));
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start(certificate: certificate);
        await using var https = PolicyHttpsServer.Start(authority.Issue("mta-sts.example.test"), "version: STSv1\nmode: enforce\nmx: *.example.test\nmax_age: 86400\n");
        await using var dns = await ValidatingDns.StartAsync("example.test",
        [
            .. Zone,
            $"_25._tcp.mx1.example.test. IN TLSA 3 1 1 {hash}",
            "_mta-sts.example.test. IN TXT \"v=STSv1; id=1\"",
            "mta-sts.example.test. IN A 127.0.0.1",
        ]);
        var failures = Configure(fixture, sink.Port, dns.Endpoint);
        fixture.Options.TransportSecurity.TrustedCaFile = authority.WritePem(fixture.Data);
        fixture.Options.TransportSecurity.MtaStsPort = https.Port;

        Assert.Null(await AttemptAsync(fixture, failures));

        Assert.True(Assert.Single(sink.Messages).Tls);
        Assert.Single(https.Requests);
        Assert.Empty(failures);
    }

    private static ConcurrentQueue<TlsPolicyFailure> Configure(QueueFixture fixture, int port, System.Net.IPEndPoint dns)
    {
        fixture.Options.Port = port;
        fixture.Options.DnsServers = [dns];
        fixture.Options.TransportSecurity = new TransportSecurityOptions { DnsValidating = true };
        return new ConcurrentQueue<TlsPolicyFailure>();
    }

    private static async Task<QueueEnvelope?> AttemptAsync(QueueFixture fixture, ConcurrentQueue<TlsPolicyFailure> failures)
    {
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@example.test"], QueueFixture.Message());
        using var worker = fixture.Worker();
        worker.TlsPolicyFailed += failures.Enqueue;
        return await worker.AttemptAsync(id, CancellationToken.None);
    }
}
