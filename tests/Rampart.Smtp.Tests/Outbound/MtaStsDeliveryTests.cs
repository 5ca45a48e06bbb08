using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Rampart.Smtp.Outbound;
using Rampart.Smtp.Queue;
using Rampart.Smtp.Tests.Queue;

namespace Rampart.Smtp.Tests.Outbound;

/// <summary>MTA-STS (RFC 8461) end to end: the TXT record in dnsmasq, the policy over real HTTPS from a private CA
/// (trusted through <c>Smtp:Outbound:TrustedCaFile</c>), the MX a real SMTP receiver with STARTTLS.</summary>
public sealed class MtaStsDeliveryTests
{
    private const string Enforce = "version: STSv1\nmode: enforce\nmx: *.example.test\nmax_age: 86400\n";

    [Fact]
    public async Task Enforce_with_a_matching_MX_and_a_valid_certificate_delivers_over_TLS()
    {
        await using var setup = await Setup.StartAsync(Enforce, authority => authority.Issue("mx1.example.test"));

        Assert.Null(await setup.AttemptAsync());

        Assert.True(Assert.Single(setup.Sink.Messages).Tls);
        Assert.Equal("GET /.well-known/mta-sts.txt HTTP/1.1 | Host: mta-sts.example.test", Assert.Single(setup.Https.Requests));
        Assert.True(File.Exists(Path.Combine(setup.Fixture.Data, "mta-sts", "example.test.json")));
        Assert.Empty(setup.Failures);
    }

    [Theory]
    [InlineData("self-signed")]
    [InlineData("wrong-name")]
    public async Task Enforce_with_an_untrusted_MX_certificate_defers_without_sending(string kind)
    {
        await using var setup = await Setup.StartAsync(Enforce, authority => kind == "self-signed"
            ? TestAuthority.SelfSigned("mx1.example.test")
            : authority.Issue("other.example.test"));

        var envelope = await setup.AttemptAsync();

        var recipient = Assert.Single(envelope!.Recipients);
        Assert.Equal(RecipientStatus.Pending, recipient.Status);
        Assert.Equal("4.7.5", recipient.StatusCode);
        Assert.Empty(setup.Sink.Messages);
        Assert.DoesNotContain(setup.Sink.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
        var failure = Assert.Single(setup.Failures);
        Assert.Equal(TlsPolicyKind.MtaSts, failure.Policy);
        Assert.True(failure.Enforced);
    }

    [Fact]
    public async Task Enforce_never_falls_back_to_plaintext_when_STARTTLS_is_missing()
    {
        await using var setup = await Setup.StartAsync(Enforce, _ => null);

        var envelope = await setup.AttemptAsync();

        Assert.Equal("4.7.5", Assert.Single(envelope!.Recipients).StatusCode);
        Assert.Empty(setup.Sink.Messages);
        Assert.DoesNotContain(setup.Sink.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Enforce_does_not_connect_to_an_MX_host_the_policy_does_not_list()
    {
        await using var setup = await Setup.StartAsync(Enforce.Replace("*.example.test", "mx9.example.test", StringComparison.Ordinal), authority => authority.Issue("mx1.example.test"));

        var envelope = await setup.AttemptAsync();

        Assert.Equal("4.7.5", Assert.Single(envelope!.Recipients).StatusCode);
        Assert.Equal(0, setup.Sink.Connections);
    }

    [Fact]
    public async Task Testing_mode_delivers_with_a_bad_certificate_and_reports_it()
    {
        await using var setup = await Setup.StartAsync(Enforce.Replace("enforce", "testing", StringComparison.Ordinal), _ => TestAuthority.SelfSigned("mx1.example.test"));

        Assert.Null(await setup.AttemptAsync());

        Assert.Single(setup.Sink.Messages);
        var failure = Assert.Single(setup.Failures);
        Assert.False(failure.Enforced);
        Assert.Equal("mx1.example.test", failure.Host);
    }

    [Fact]
    public async Task The_policy_is_cached_across_a_restart_and_still_enforced_when_the_web_server_is_gone()
    {
        await using var setup = await Setup.StartAsync(Enforce, authority => authority.Issue("mx1.example.test"));
        Assert.Null(await setup.AttemptAsync());
        await setup.Https.DisposeAsync();

        // A restart: new queue object and worker, the policy only in DATA/mta-sts; now an MX with a self-signed
        // certificate (what an attacker who also blocks the policy host would present) must not get the message.
        setup.Fixture.Restart();
        await using var impostor = SmtpSink.Start(certificate: TestAuthority.SelfSigned("mx1.example.test"));
        setup.Fixture.Options.Port = impostor.Port;
        var envelope = await setup.AttemptAsync();

        Assert.Equal("4.7.5", Assert.Single(envelope!.Recipients).StatusCode);
        Assert.Empty(impostor.Messages);
    }

    [Theory]
    [InlineData("redirect")]
    [InlineData("content-type")]
    [InlineData("too-large")]
    public async Task A_policy_answer_that_breaks_the_rules_is_no_policy(string how)
    {
        // With the policy rejected, delivery is opportunistic: the self-signed certificate is accepted.
        await using var setup = await Setup.StartAsync(Enforce, _ => TestAuthority.SelfSigned("mx1.example.test"));
        switch (how)
        {
            case "redirect":
                setup.Https.Status = "302 Found";
                break;
            case "content-type":
                setup.Https.ContentType = "text/html";
                break;
            default:
                setup.Https.Policy = Enforce + new string('#', TransportSecurityOptions.MaxPolicySize) + ": x\n";
                break;
        }

        Assert.Null(await setup.AttemptAsync());
        Assert.Single(setup.Sink.Messages);
        Assert.False(File.Exists(Path.Combine(setup.Fixture.Data, "mta-sts", "example.test.json")));
    }

    /// <summary>The parts of one test: queue, CA, MX sink, policy server, DNS.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        private TestAuthority authority = null!;
        private LoopbackDns dns = null!;

        public QueueFixture Fixture { get; private set; } = null!;

        public SmtpSink Sink { get; private set; } = null!;

        public PolicyHttpsServer Https { get; private set; } = null!;

        public ConcurrentQueue<TlsPolicyFailure> Failures { get; } = new();

        /// <summary>The MX certificate comes from <paramref name="mxCertificate"/>; null means no STARTTLS.</summary>
        public static async Task<Setup> StartAsync(string policy, Func<TestAuthority, X509Certificate2?> mxCertificate)
        {
            var setup = new Setup { Fixture = await QueueFixture.CreateAsync(), authority = new TestAuthority() };
            var certificate = mxCertificate(setup.authority);
            setup.Sink = SmtpSink.Start(certificate: certificate);
            setup.Https = PolicyHttpsServer.Start(setup.authority.Issue("mta-sts.example.test"), policy);
            setup.dns = await LoopbackDns.StartAsync(new DnsZone()
                .Mx("example.test", "mx1.example.test", 10).A("mx1.example.test", "127.0.0.1")
                .Txt("_mta-sts.example.test", "v=STSv1; id=20261127T1200")
                .A("mta-sts.example.test", "127.0.0.1"));
            setup.Fixture.Options.Port = setup.Sink.Port;
            setup.Fixture.Options.DnsServers = [setup.dns.Endpoint];
            setup.Fixture.Options.TransportSecurity = new TransportSecurityOptions
            {
                TrustedCaFile = setup.authority.WritePem(setup.Fixture.Data),
                MtaStsPort = setup.Https.Port,
                MtaStsFetchTimeout = TimeSpan.FromSeconds(10),
            };
            return setup;
        }

        public async Task<QueueEnvelope?> AttemptAsync()
        {
            var id = await Fixture.Queue.EnqueueAsync("alice@local.test", ["bob@example.test"], QueueFixture.Message());
            using var worker = Fixture.Worker();
            worker.TlsPolicyFailed += Failures.Enqueue;
            return await worker.AttemptAsync(id, CancellationToken.None);
        }

        public async ValueTask DisposeAsync()
        {
            await Sink.DisposeAsync();
            await Https.DisposeAsync();
            await dns.DisposeAsync();
            await Fixture.DisposeAsync();
            authority.Dispose();
        }
    }
}
