using Microsoft.Extensions.Logging;
using Rampart.Smtp.SenderChecks.Dns;

namespace Rampart.Smtp.Outbound.MtaSts;

/// <summary>The MTA-STS policy in force for a domain (RFC 8461 §5.1): the TXT record at <c>_mta-sts.DOMAIN</c> says
/// whether the cached policy is current; a new id, an expired policy or none cached leads to a fetch; a failed fetch
/// keeps an unexpired cached policy (an attacker who blocks the fetch must not switch the policy off).</summary>
public sealed class MtaStsPolicySource
{
    private readonly DnsResolver dns;
    private readonly MtaStsPolicyFetcher fetcher;
    private readonly MtaStsPolicyCache cache;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    public MtaStsPolicySource(DnsResolver dns, MtaStsPolicyFetcher fetcher, MtaStsPolicyCache cache, ILogger logger, TimeProvider? time = null)
    {
        this.dns = dns;
        this.fetcher = fetcher;
        this.cache = cache;
        this.logger = logger;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>The policy for <paramref name="domain"/> (lower-case A-label); null when it has none in force.</summary>
    public async Task<MtaStsPolicy?> GetAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var now = time.GetUtcNow();
        var cached = cache.Get(domain);
        if (cached is not null && cached.Expires <= now)
        {
            cached = null;
        }

        var txt = await dns.TxtAsync("_mta-sts." + domain, cancellationToken).ConfigureAwait(false);
        var record = txt.Status == DnsStatus.Found ? MtaStsRecord.Select(txt.Records) : null;
        if (record is null)
        {
            // RFC 8461 §3.1, §5.1: without a record (or when DNS fails) an unexpired cached policy still applies.
            return Effective(cached);
        }

        if (cached is not null && cached.Id == record.Id)
        {
            return Effective(cached);
        }

        var (text, error) = await fetcher.FetchAsync(domain, cancellationToken).ConfigureAwait(false);
        var policy = text is null ? null : MtaStsPolicy.TryParse(text, out error);
        if (policy is null)
        {
            logger.LogWarning("MTA-STS {Domain}: policy id {Id} could not be fetched: {Error}", domain, record.Id, error);
            return Effective(cached);
        }

        cache.Put(domain, new CachedMtaStsPolicy(record.Id, now, text!, policy));
        logger.LogInformation("MTA-STS {Domain}: policy {Id} fetched, mode {Mode}, max_age {MaxAge}", domain, record.Id, policy.Mode, policy.MaxAge);
        return Effective(policy);
    }

    private static MtaStsPolicy? Effective(CachedMtaStsPolicy? cached) => Effective(cached?.Policy);

    private static MtaStsPolicy? Effective(MtaStsPolicy? policy) => policy is { Mode: not MtaStsMode.None } ? policy : null;
}
