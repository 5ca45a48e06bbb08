namespace Rampart.Security.Sasl;

/// <summary>Default limits of one SASL exchange (SECURITY.md A03); <see cref="SaslContext"/> can change them.</summary>
public static class SaslLimits
{
    /// <summary>
    /// The largest decoded client response accepted: 8 KiB. PLAIN needs at most 3 × 255 + 2 octets and a
    /// SCRAM message a few hundred; OAuth tokens are the largest legitimate responses and fit. A larger
    /// response is hostile and fails the exchange before any work.
    /// </summary>
    public const int DefaultMaxResponseBytes = 8 * 1024;

    /// <summary>
    /// The most client responses in one exchange: 5. SCRAM needs three at most (an empty initial response,
    /// client-first, client-final); a client that keeps answering empty lines is stopped here.
    /// </summary>
    public const int DefaultMaxRounds = 5;
}
