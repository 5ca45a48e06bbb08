namespace Rampart.Net.Options;

/// <summary>
/// TLS client certificates on one listener (<c>Listeners:&lt;name&gt;:ClientCertificates</c>): whether they are requested,
/// which CA bundle vouches for them, which CRL revokes them, and which name in them is the account. The TLS layer only
/// requests and records the certificate; SASL EXTERNAL decides whether it is trusted, so an untrusted one gets the
/// generic authentication failure rather than a handshake error.
/// </summary>
public sealed class ClientCertificateOptions
{
    /// <summary>Off (default), optional or required.</summary>
    public ClientCertificateMode Mode { get; set; } = ClientCertificateMode.Off;

    /// <summary>A PEM file with the CA certificates that issue client certificates; the only trust anchors used
    /// (the system store never is).</summary>
    public string? CaFile { get; set; }

    /// <summary>A CRL file (PEM or DER) from that CA; certificates it lists are refused. Without one, a lost device's
    /// certificate stays valid until it expires (<c>rampart security audit</c> warns).</summary>
    public string? CrlFile { get; set; }

    /// <summary>Which name maps to the account: <c>email</c> (default: the rfc822Name SAN), <c>upn</c> (the Microsoft
    /// UPN SAN) or <c>cn</c> (the subject common name).</summary>
    public string AccountFrom { get; set; } = "email";

    /// <summary>True when the listener requests certificates.</summary>
    public bool IsEnabled => Mode != ClientCertificateMode.Off;
}
