using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Rampart.Net.Options;

namespace Rampart.Net.Tls;

/// <summary>
/// The one place where server-side TLS settings are decided: versions, suites, renegotiation, ALPN and the
/// certificate. Not configurable on purpose: an admin cannot weaken it by accident (SECURITY.md "TLS").
/// </summary>
/// <remarks>RFC 8996 (no TLS 1.0/1.1), RFC 9325 §4 (ECDHE + AEAD suites only), RFC 7301 (ALPN),
/// ALPACA (cross-protocol attacks are stopped by refusing foreign ALPN ids).</remarks>
public static class TlsPolicy
{
    /// <summary>TLS 1.2 and 1.3 only.</summary>
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>
    /// The suites the server accepts: all TLS 1.3 suites (all are AEAD with ephemeral key exchange) and, for
    /// TLS 1.2, ECDHE with AES-GCM or ChaCha20-Poly1305 only (forward secrecy, no CBC padding oracles).
    /// </summary>
    public static IReadOnlyList<TlsCipherSuite> AllowedCipherSuites { get; } =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    private static readonly CipherSuitesPolicy? SuitesPolicy = CreateSuitesPolicy();

    /// <summary>Builds the options for one handshake.</summary>
    /// <param name="certificate">The certificate chosen for the client's SNI name.</param>
    /// <param name="alpn">The listener's ALPN id ("imap", "pop3", "smtp"), or null.</param>
    /// <param name="requestClientCertificate">Ask for (but do not require) a client certificate.</param>
    public static SslServerAuthenticationOptions CreateServerOptions(SslCertificate certificate, string? alpn, bool requestClientCertificate) =>
        CreateServerOptions(certificate, alpn, requestClientCertificate ? ClientCertificateMode.Optional : ClientCertificateMode.Off);

    /// <summary>Builds the options for one handshake.</summary>
    /// <param name="certificate">The certificate chosen for the client's SNI name.</param>
    /// <param name="alpn">The listener's ALPN id ("imap", "pop3", "smtp"), or null.</param>
    /// <param name="clientCertificates">Whether to ask for a client certificate, and whether one is required.</param>
    public static SslServerAuthenticationOptions CreateServerOptions(SslCertificate certificate, string? alpn, ClientCertificateMode clientCertificates)
    {
        var requestClientCertificate = clientCertificates != ClientCertificateMode.Off;
        ArgumentNullException.ThrowIfNull(certificate);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate.Context,
            EnabledSslProtocols = Protocols,
            // Client-initiated renegotiation is a DoS lever and has had injection bugs (RFC 5746); nothing needs it.
            AllowRenegotiation = false,
            EncryptionPolicy = EncryptionPolicy.RequireEncryption,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ClientCertificateRequired = requestClientCertificate,
        };
        if (requestClientCertificate)
        {
            // Any certificate is recorded; whether it maps to a user is decided at SASL EXTERNAL time.
#pragma warning disable CA5359 // Deliberate: this validates a client certificate, which is checked later against the account.
            // Required: a client that sends none fails the handshake; any certificate it does send is judged later.
            options.RemoteCertificateValidationCallback = clientCertificates == ClientCertificateMode.Required
                ? static (_, certificate, _, _) => certificate is not null
                : static (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        if (alpn is not null)
        {
            // With a server list set, a client that offers ALPN but not this id gets no_application_protocol
            // (RFC 7301 §3.2); a client that offers no ALPN is unaffected.
            options.ApplicationProtocols = [new SslApplicationProtocol(alpn)];
        }

        if (SuitesPolicy is not null)
        {
            options.CipherSuitesPolicy = SuitesPolicy;
        }

        return options;
    }

    /// <summary>Whether a negotiated suite is one of <see cref="AllowedCipherSuites"/>.</summary>
    public static bool IsAllowed(TlsCipherSuite suite) => AllowedCipherSuites.Contains(suite);

    private static CipherSuitesPolicy? CreateSuitesPolicy()
    {
        // CipherSuitesPolicy exists on OpenSSL platforms; on Windows SChannel's system policy applies.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD())
        {
            return new CipherSuitesPolicy(AllowedCipherSuites);
        }

        return null;
    }
}
