namespace Rampart.Net.Options;

/// <summary>Whether a listener asks TLS clients for a certificate (for SASL EXTERNAL, RFC 4422 Appendix A).</summary>
public enum ClientCertificateMode
{
    /// <summary>No request (the default): most clients have no certificate, and some prompt the user when asked.</summary>
    Off,

    /// <summary>Ask; a client without a certificate still connects and logs in another way.</summary>
    Optional,

    /// <summary>Ask, and refuse the handshake of a client that sends none.</summary>
    Required,
}
