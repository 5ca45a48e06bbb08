namespace Rampart.Smtp.Outbound;

/// <summary>Which published policy made TLS to a host mandatory or reportable.</summary>
public enum TlsPolicyKind
{
    /// <summary>An MTA-STS policy (RFC 8461).</summary>
    MtaSts,

    /// <summary>DNSSEC-validated TLSA records (RFC 7672).</summary>
    Dane,
}

/// <summary>A delivery that did not meet a domain's published TLS policy (what a TLS report to the domain would carry).
/// With <paramref name="Enforced"/> the host was not used; without it (MTA-STS <c>testing</c>, RFC 8461 §5) the message
/// went anyway.</summary>
/// <param name="Domain">The recipient domain.</param>
/// <param name="Host">The MX host.</param>
/// <param name="Policy">Which policy.</param>
/// <param name="Enforced">True when the host was skipped for it.</param>
/// <param name="Reason">What failed, for the log.</param>
public sealed record TlsPolicyFailure(string Domain, string Host, TlsPolicyKind Policy, bool Enforced, string Reason);
