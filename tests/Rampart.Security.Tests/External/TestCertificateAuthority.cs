using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rampart.Testing.External;

/// <summary>A CA made by the test (CertificateRequest, ECDSA P-256): client certificates with an email SAN, a UPN SAN and
/// a CN; expired ones; a CRL revoking chosen serials; the CA written as PEM.</summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly List<byte[]> _revoked = [];
    private long _serial = 1000;

    public TestCertificateAuthority(string name = "Rampart Test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-100), DateTimeOffset.UtcNow.AddYears(5));
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Issues a client certificate with <paramref name="email"/> as rfc822Name SAN and CN.</summary>
    public X509Certificate2 Issue(string email, string? upn = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + email.Split('@')[0], key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddEmailAddress(email);
        if (upn is not null)
        {
            names.AddUserPrincipalName(upn);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var serial = BigInteger.Parse((++_serial).ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture).ToByteArray(isUnsigned: true, isBigEndian: true);
        using var issued = request.Create(Certificate, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(30), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // A PFX round trip so that SslStream on Linux can use the key.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }

    /// <summary>Adds <paramref name="certificate"/> to the next CRL.</summary>
    public void Revoke(X509Certificate2 certificate) => _revoked.Add(certificate.SerialNumberBytes.ToArray());

    /// <summary>The CA certificate as PEM.</summary>
    public string Pem() => Certificate.ExportCertificatePem();

    /// <summary>A CRL (PEM) listing the revoked serials, signed by the CA.</summary>
    public string CrlPem()
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var serial in _revoked)
        {
            builder.AddEntry(serial, DateTimeOffset.UtcNow.AddMinutes(-5));
        }

        var crl = builder.Build(Certificate, BigInteger.One, DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256);
        return PemEncoding.WriteString("X509 CRL", crl);
    }

    public void Dispose() => Certificate.Dispose();
}
