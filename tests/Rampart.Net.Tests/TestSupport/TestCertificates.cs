using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rampart.Net.Tls;

namespace Rampart.Net.Tests.TestSupport;

/// <summary>Writes real PEM certificate/key pairs to a temporary directory.</summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        Directory = Path.Combine(Path.GetTempPath(), "rampart-net-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public (string CertificatePath, string KeyPath) WriteEcdsa(string hostName, string? fileStem = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSignedCertificate.Create(key, hostName);
        return Write(fileStem ?? hostName, certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public (string CertificatePath, string KeyPath) WriteRsa(string hostName, string? fileStem = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + hostName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(hostName);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30));
        return Write(fileStem ?? hostName, certificate.ExportCertificatePem(), key.ExportRSAPrivateKeyPem());
    }

    public (string CertificatePath, string KeyPath) Write(string stem, string certificatePem, string keyPem)
    {
        var certificatePath = Path.Combine(Directory, stem + ".crt.pem");
        var keyPath = Path.Combine(Directory, stem + ".key.pem");
        File.WriteAllText(certificatePath, certificatePem);
        File.WriteAllText(keyPath, keyPem);
        return (certificatePath, keyPath);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
