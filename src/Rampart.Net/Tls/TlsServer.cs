using System.Net.Security;
using System.Security.Authentication;
using Rampart.Net.Options;

namespace Rampart.Net.Tls;

/// <summary>Runs server handshakes: picks the certificate by SNI, applies <see cref="TlsPolicy"/>, enforces the timeout.</summary>
public sealed class TlsServer
{
    /// <summary>Creates the handshake runner over a certificate store.</summary>
    public TlsServer(CertificateStore certificates, TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentNullException.ThrowIfNull(options);
        Certificates = certificates;
        Options = options;
    }

    /// <summary>Where certificates come from.</summary>
    public CertificateStore Certificates { get; }

    /// <summary>Handshake settings.</summary>
    public TlsOptions Options { get; }

    /// <summary>
    /// Performs the server handshake over <paramref name="transport"/> (left open when the handshake fails, so the
    /// caller closes the socket) within <see cref="TlsOptions.HandshakeTimeout"/>.
    /// </summary>
    /// <returns>The authenticated stream and the certificate it serves.</returns>
    /// <exception cref="TlsHandshakeException">The handshake failed or timed out.</exception>
    public Task<(SslStream Stream, SslCertificate Certificate)> AuthenticateAsync(Stream transport, string? alpn, CancellationToken cancellationToken) =>
        AuthenticateAsync(transport, alpn, ClientCertificateMode.Off, cancellationToken);

    /// <summary>
    /// Performs the server handshake, asking for a client certificate when <paramref name="clientCertificates"/> (the
    /// listener's setting) or <see cref="TlsOptions.RequestClientCertificate"/> says so.
    /// </summary>
    /// <returns>The authenticated stream and the certificate it serves.</returns>
    /// <exception cref="TlsHandshakeException">The handshake failed or timed out, or a required certificate is missing.</exception>
    public async Task<(SslStream Stream, SslCertificate Certificate)> AuthenticateAsync(Stream transport, string? alpn, ClientCertificateMode clientCertificates, CancellationToken cancellationToken)
    {
        var mode = clientCertificates == ClientCertificateMode.Off && Options.RequestClientCertificate ? ClientCertificateMode.Optional : clientCertificates;
        var ssl = new SslStream(transport, leaveInnerStreamOpen: true);
        SslCertificate? chosen = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.HandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                (_, hello, _, _) =>
                {
                    chosen = Certificates.Select(hello.ServerName);
                    return ValueTask.FromResult(TlsPolicy.CreateServerOptions(chosen, alpn, mode));
                },
                null,
                timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await ssl.DisposeAsync();
            throw new TlsHandshakeException($"TLS handshake timed out after {Options.HandshakeTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            throw new TlsHandshakeException("TLS handshake failed: " + Describe(ex), ex);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }

        return (ssl, chosen ?? Certificates.Default);
    }

    private static string Describe(Exception ex)
    {
        var message = ex.Message;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += ": " + inner.Message;
        }

        return message;
    }
}
