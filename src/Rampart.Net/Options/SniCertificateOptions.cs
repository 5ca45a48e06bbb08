namespace Rampart.Net.Options;

/// <summary>A certificate served to clients that ask for a given host name (SNI, RFC 6066 §3).</summary>
public sealed class SniCertificateOptions
{
    /// <summary>An exact host name (<c>mail.example.com</c>) or a one-label wildcard (<c>*.example.com</c>).</summary>
    public string HostName { get; set; } = "";

    /// <summary>PEM file with the certificate, optionally followed by its intermediate chain.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>PEM file with the private key (RSA or ECDSA, PKCS#8 or traditional).</summary>
    public string KeyPath { get; set; } = "";
}
