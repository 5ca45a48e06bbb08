using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Rampart.Smtp.Outbound;

/// <summary>PKIX validation of a server certificate for MTA-STS (RFC 8461 §4.2): the chain ends at a root of the system
/// store or at one of the extra anchors of <see cref="TransportSecurityOptions.TrustedCaFile"/>, and the certificate
/// is valid for the name asked for (the TLS layer checks the name against SNI, a wildcard standing for one leftmost label).</summary>
public sealed class CertificateTrust
{
    private readonly X509Certificate2Collection extraAnchors;

    /// <summary>Trusts the system store plus the certificates in <paramref name="caFile"/> (PEM), when given.</summary>
    public CertificateTrust(string? caFile)
    {
        extraAnchors = [];
        if (caFile is not null)
        {
            extraAnchors.ImportFromPemFile(caFile);
        }
    }

    /// <summary>Whether the handshake's certificate is trusted and valid for the target name.</summary>
    /// <param name="certificate">The server's certificate.</param>
    /// <param name="chain">The chain the TLS layer built (its extra store holds what the server sent).</param>
    /// <param name="errors">What the TLS layer found against the system store.</param>
    public bool IsTrusted(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // The name and the presence of a certificate are not a matter of anchors: those errors stand.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0 || extraAnchors.Count == 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(extraAnchors);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        // The TLS server certificate usage (RFC 5280 §4.2.1.12) is required when the certificate lists usages.
        custom.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }
}
