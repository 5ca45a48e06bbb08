namespace Rampart.Smtp.Outbound.Dane;

/// <summary>What DANE asks of one MX host (RFC 7672 §2.2).</summary>
public enum DaneRequirementKind
{
    /// <summary>DANE does not apply: it is off, the MX or TLSA RRset is not DNSSEC-secure, or there are no TLSA records.</summary>
    None,

    /// <summary>Secure TLSA records exist: TLS is mandatory, and the certificate must match one of
    /// <see cref="DaneRequirement.Records"/> (when none is usable, TLS without authentication, RFC 7672 §2.2).</summary>
    Required,

    /// <summary>The TLSA lookup failed for a host whose MX RRset is secure: the host must not be used now
    /// (RFC 7672 §2.2: a failed lookup could be an attacker hiding the records).</summary>
    LookupFailed,
}

/// <summary>DANE's verdict for one MX host: the kind and the usable TLSA records.</summary>
public sealed record DaneRequirement(DaneRequirementKind Kind, IReadOnlyList<TlsaAssociation> Records)
{
    /// <summary>DANE does not apply.</summary>
    public static DaneRequirement None { get; } = new(DaneRequirementKind.None, []);

    /// <summary>The name the TLSA records were found at (without <c>_25._tcp.</c>): the MX host name or its
    /// CNAME-expansion (RFC 7672 §2.2.2); a DANE-TA certificate may name it (§3.2.2). Null when DANE does not apply.</summary>
    public string? BaseDomain { get; init; }

    /// <summary>True when some record can authenticate the server (else TLS is only mandatory).</summary>
    public bool Authenticates => Records.Any(r => r.IsUsable);
}
