namespace Rampart.Net.Options;

/// <summary>How a listener uses TLS.</summary>
/// <remarks>RFC 8314 §3: implicit TLS is preferred; STARTTLS is kept for clients that need it.</remarks>
public enum TlsMode
{
    /// <summary>The TLS handshake starts right after the TCP connect (IMAPS 993, POP3S 995, SMTPS 465).</summary>
    Implicit,

    /// <summary>The connection starts in plaintext and the protocol upgrades it with STARTTLS/STLS.</summary>
    StartTls,

    /// <summary>No TLS at all. Only sensible on loopback or behind a TLS-terminating proxy.</summary>
    None,
}
