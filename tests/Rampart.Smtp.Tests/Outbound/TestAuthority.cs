using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rampart.Smtp.Tests.Outbound;

/// <summary>A private CA for the tests: it issues server certificates for given DNS names, and its certificate goes
/// into a PEM file for <c>Smtp:Outbound:TrustedCaFile</c>.</summary>
internal sealed class TestAuthority : IDisposable
{
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestAuthority(string name = "Rampart Test CA")
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Writes the CA certificate as PEM into <paramref name="directory"/> and returns the path.</summary>
    public string WritePem(string directory)
    {
        var path = Path.Combine(directory, "test-ca.pem");
        File.WriteAllText(path, Certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>A server certificate (with its private key) for <paramref name="names"/>, signed by this CA.</summary>
    public X509Certificate2 Issue(params string[] names) => Sign(names, issuerKey: key, issuer: Certificate);

    /// <summary>A self-signed server certificate for <paramref name="names"/>: valid names, untrusted issuer.</summary>
    public static X509Certificate2 SelfSigned(params string[] names) => Sign(names, null, null);

    public void Dispose()
    {
        Certificate.Dispose();
        key.Dispose();
    }

    private static X509Certificate2 Sign(string[] names, ECDsa? issuerKey, X509Certificate2? issuer)
    {
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var notBefore = DateTimeOffset.UtcNow.AddHours(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(7);
        using var certificate = issuer is null
            ? request.CreateSelfSigned(notBefore, notAfter)
            : request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey!), notBefore, notAfter, RandomNumberGenerator.GetBytes(12)).CopyWithPrivateKey(leafKey);

        // SslStream on Linux wants a key it can use from a PKCS#12 import, not an ephemeral one.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
