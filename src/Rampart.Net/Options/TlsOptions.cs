namespace Rampart.Net.Options;

/// <summary>Server certificates and handshake settings shared by every TLS listener.</summary>
/// <remarks>Bound from configuration section <c>Tls</c>. The protocol versions and suites are not options:
/// they are fixed by <see cref="Tls.TlsPolicy"/> (RFC 8996, RFC 9325).</remarks>
public sealed class TlsOptions
{
    /// <summary>Default certificate PEM (leaf first, then the chain). Null with <see cref="KeyPath"/> null:
    /// a self-signed ECDSA P-256 certificate is generated in the data directory so a first start works.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Private key PEM of the default certificate.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Extra certificates chosen by the SNI host name; the default certificate serves any other name.</summary>
    public IList<SniCertificateOptions> SniCertificates { get; } = [];

    /// <summary>Time allowed for a TLS handshake. Default 15 s: long enough for a slow mobile link, short
    /// enough that half-open handshakes cannot hold sockets for long (SECURITY.md T07).</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the certificate files are checked for changes, in addition to file-system
    /// notifications (which can be missed, e.g. on network file systems or with symlink swaps).
    /// Default 60 s.</summary>
    public TimeSpan ReloadCheckInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Ask clients for a certificate (for SASL EXTERNAL). Default false: most clients have none,
    /// and a request makes some of them prompt the user. The certificate is only recorded here;
    /// whether it is trusted is decided at authentication time.</summary>
    public bool RequestClientCertificate { get; set; }
}
