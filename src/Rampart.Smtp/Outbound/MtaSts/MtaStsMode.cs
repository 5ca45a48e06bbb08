namespace Rampart.Smtp.Outbound.MtaSts;

/// <summary>The <c>mode</c> of an MTA-STS policy (RFC 8461 §3.2, §5).</summary>
public enum MtaStsMode
{
    /// <summary>No policy in effect: deliver as without one.</summary>
    None,

    /// <summary>Deliver as without a policy, but report what would have failed.</summary>
    Testing,

    /// <summary>Deliver only to matching MX hosts over TLS with a valid certificate; otherwise defer.</summary>
    Enforce,
}
