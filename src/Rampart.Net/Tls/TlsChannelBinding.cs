using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rampart.Net.Tls;

/// <summary>Channel binding data for SCRAM-*-PLUS.</summary>
public static class TlsChannelBinding
{
    /// <summary>
    /// RFC 5929 §4.1 tls-server-end-point: the hash of the server certificate, with the certificate's signature
    /// hash, except that MD5 and SHA-1 are replaced by SHA-256. (.NET has no TLS exporter, so tls-exporter of
    /// RFC 9266 is not available; SECURITY.md "SASL".)
    /// </summary>
    public static byte[] ServerEndPoint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var raw = certificate.RawData;
        return certificate.SignatureAlgorithm.Value switch
        {
            // ecdsa-with-SHA384, sha384WithRSAEncryption
            "1.2.840.10045.4.3.3" or "1.2.840.113549.1.1.12" => SHA384.HashData(raw),
            // ecdsa-with-SHA512, sha512WithRSAEncryption
            "1.2.840.10045.4.3.4" or "1.2.840.113549.1.1.13" => SHA512.HashData(raw),
            // SHA-256 signatures, MD5/SHA-1 (upgraded by the RFC), and RSASSA-PSS (whose hash sits in parameters;
            // SHA-256 is what PSS certificates use in practice).
            _ => SHA256.HashData(raw),
        };
    }
}
