using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Rampart.Net.Tls;

/// <summary>A server certificate with its private key and intermediate chain, ready for SslStream.</summary>
public sealed class SslCertificate : IDisposable
{
    internal SslCertificate(X509Certificate2 certificate, X509Certificate2Collection intermediates)
    {
        Certificate = certificate;
        Intermediates = intermediates;
        // offline: the chain is what the files hold; building it must not fetch anything from the network.
        Context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
        ChannelBinding = TlsChannelBinding.ServerEndPoint(certificate);
    }

    /// <summary>The leaf certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Intermediates sent after the leaf.</summary>
    public X509Certificate2Collection Intermediates { get; }

    /// <summary>The context handed to SslStream.</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>RFC 5929 tls-server-end-point value of this certificate.</summary>
    public byte[] ChannelBinding { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var intermediate in Intermediates)
        {
            intermediate.Dispose();
        }
    }
}
