namespace Rampart.Smtp.Outbound.Dane;

/// <summary>One TLSA record's fields (RFC 6698 §2.1): certificate usage, selector, matching type and the certificate
/// association data.</summary>
public sealed record TlsaAssociation(byte Usage, byte Selector, byte MatchingType, byte[] Data)
{
    /// <summary>DANE-TA: the data names a trust anchor the chain must lead to (RFC 7671 §5.2).</summary>
    public const byte DaneTa = 2;

    /// <summary>DANE-EE: the data names the server's own certificate or key (RFC 7671 §5.1).</summary>
    public const byte DaneEe = 3;

    /// <summary>Whether SMTP can use the record: usages DANE-TA and DANE-EE only (RFC 7672 §3.1: PKIX-TA and PKIX-EE
    /// are unusable, since SMTP has no agreed set of public CAs), selectors Cert(0) and SPKI(1), matching types
    /// Full(0), SHA2-256(1) and SHA2-512(2), with data of the right length for a digest.</summary>
    public bool IsUsable => Usage is DaneTa or DaneEe && Selector is 0 or 1 && MatchingType switch
    {
        0 => Data.Length > 0,
        1 => Data.Length == 32,
        2 => Data.Length == 64,
        _ => false,
    };
}
