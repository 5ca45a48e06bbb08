namespace Rampart.Smtp.SenderChecks.Dns;

/// <summary>What a DNS query came back with, in the terms SPF, DKIM and DMARC decide on.</summary>
public enum DnsStatus
{
    /// <summary>NOERROR with at least one record of the asked type.</summary>
    Found,

    /// <summary>NOERROR and no record of the asked type (NODATA). A "void lookup" for RFC 7208 §4.6.4.</summary>
    NoData,

    /// <summary>NXDOMAIN (RCODE 3). Also a void lookup.</summary>
    NotFound,

    /// <summary>Timeout, SERVFAIL, REFUSED or a malformed answer: try again later (RFC 7208 §2.6.6 temperror).</summary>
    TemporaryError,
}

/// <summary>The records of one type a query returned (CNAMEs followed), with its status.</summary>
/// <typeparam name="T">The record's value.</typeparam>
/// <param name="Status">How the query ended.</param>
/// <param name="Records">The records; empty unless <paramref name="Status"/> is <see cref="DnsStatus.Found"/>.</param>
/// <param name="Authenticated">The resolver set the AD bit (RFC 4035 §3.2.3): it validated the answer with DNSSEC.
/// Meaningful only for queries that ask for it (<see cref="DnsResolver.TlsaAsync"/>) and only when the resolver is a
/// trusted validating one (<c>Smtp:Dns:Validating</c>).</param>
public sealed record DnsAnswer<T>(DnsStatus Status, IReadOnlyList<T> Records, bool Authenticated = false)
{
    /// <summary>The name at the end of the CNAME chain the answer followed from the asked name; null when the asked name
    /// held the records itself. DANE looks up TLSA records at this expanded name first (RFC 7672 §2.2.2).</summary>
    public string? CanonicalName { get; init; }

    /// <summary>True for NXDOMAIN and NODATA.</summary>
    public bool IsVoid => Status is DnsStatus.NoData or DnsStatus.NotFound;
}

/// <summary>One MX record.</summary>
/// <param name="Preference">Lower is preferred.</param>
/// <param name="Exchange">The host name, without the trailing dot.</param>
public sealed record MxHost(int Preference, string Exchange);
