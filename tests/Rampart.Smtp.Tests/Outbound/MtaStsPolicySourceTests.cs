using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Smtp.Outbound;
using Rampart.Smtp.Outbound.MtaSts;
using Rampart.Smtp.SenderChecks.Dns;

namespace Rampart.Smtp.Tests.Outbound;

/// <summary>When a cached MTA-STS policy is used and when it is fetched again (RFC 8461 §5.1): a new TXT id or an
/// expired max_age fetch; the same id within max_age does not; a failed fetch keeps the unexpired policy.</summary>
public sealed class MtaStsPolicySourceTests
{
    private const string Testing = "version: STSv1\nmode: testing\nmx: *.example.test\nmax_age: 3600\n";
    private const string Enforce = "version: STSv1\nmode: enforce\nmx: *.example.test\nmax_age: 3600\n";

    [Fact]
    public async Task Refetches_on_a_new_id_or_after_max_age_and_keeps_the_cached_policy_when_the_fetch_fails()
    {
        using var authority = new TestAuthority();
        var directory = Directory.CreateTempSubdirectory("rampart-mta-sts-").FullName;
        try
        {
            await using var https = PolicyHttpsServer.Start(authority.Issue("mta-sts.example.test"), Testing);
            var options = new TransportSecurityOptions { TrustedCaFile = authority.WritePem(directory), MtaStsPort = https.Port };
            var cache = new MtaStsPolicyCache(Path.Combine(directory, "cache"));
            var clock = new ManualClock(DateTimeOffset.UtcNow);

            await using (var first = await ZoneAsync("one"))
            {
                var source = Source(first, options, cache, clock, out var fetcher);
                using (fetcher)
                {
                    Assert.Equal(MtaStsMode.Testing, (await source.GetAsync("example.test", CancellationToken.None))?.Mode);
                    Assert.Equal(MtaStsMode.Testing, (await source.GetAsync("example.test", CancellationToken.None))?.Mode);
                    Assert.Single(https.Requests);

                    // max_age passed: fetched again, and the new content applies.
                    https.Policy = Enforce;
                    clock.Now += TimeSpan.FromSeconds(3601);
                    Assert.Equal(MtaStsMode.Enforce, (await source.GetAsync("example.test", CancellationToken.None))?.Mode);
                    Assert.Equal(2, https.Requests.Count);
                }
            }

            await using (var second = await ZoneAsync("two"))
            {
                var source = Source(second, options, cache, clock, out var fetcher);
                using (fetcher)
                {
                    // A new id: fetched at once, although the cached policy has not expired.
                    https.Policy = Testing;
                    Assert.Equal(MtaStsMode.Testing, (await source.GetAsync("example.test", CancellationToken.None))?.Mode);
                    Assert.Equal(3, https.Requests.Count);
                }
            }

            await using (var third = await ZoneAsync("three"))
            {
                var source = Source(third, options, cache, clock, out var fetcher);
                using (fetcher)
                {
                    // Another new id, but the policy host answers with an error: the unexpired policy stays.
                    https.Status = "500 Internal Server Error";
                    Assert.Equal(MtaStsMode.Testing, (await source.GetAsync("example.test", CancellationToken.None))?.Mode);
                    Assert.Equal(4, https.Requests.Count);

                    // Once it expires there is no policy at all.
                    clock.Now += TimeSpan.FromSeconds(3601);
                    Assert.Null(await source.GetAsync("example.test", CancellationToken.None));
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Task<LoopbackDns> ZoneAsync(string id) =>
        LoopbackDns.StartAsync(new DnsZone().Txt("_mta-sts.example.test", $"v=STSv1; id={id}").A("mta-sts.example.test", "127.0.0.1"));

    private static MtaStsPolicySource Source(LoopbackDns dns, TransportSecurityOptions options, MtaStsPolicyCache cache, TimeProvider clock, out MtaStsPolicyFetcher fetcher)
    {
        fetcher = new MtaStsPolicyFetcher(options, new MxResolver([dns.Endpoint], TimeSpan.FromSeconds(2)), new CertificateTrust(options.TrustedCaFile));
        return new MtaStsPolicySource(new DnsResolver(dns.Endpoint), fetcher, cache, NullLogger.Instance, clock);
    }

    /// <summary>A clock the test moves (max_age is hours; the test must not wait for it).</summary>
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
