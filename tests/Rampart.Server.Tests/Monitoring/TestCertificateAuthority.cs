using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rampart.Server.Tests.Monitoring;

/// <summary>A certificate authority made for one test, and a server certificate it issued for a host name, written as
/// the PEM files an admin gives <c>Tls:CertificatePath</c> and <c>Tls:KeyPath</c> (deployment input, like one from
/// ACME).</summary>
public sealed class TestCertificateAuthority : IDisposable
{
    public TestCertificateAuthority(string hostName)
    {
        Directory = Path.Combine(Path.GetTempPath(), "rampart-ca-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Rampart Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + hostName, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(90), [1, 2, 3, 4, 5, 6, 7, 8]);

        CaPath = Path.Combine(Directory, "ca.pem");
        CertificatePath = Path.Combine(Directory, "fullchain.pem");
        KeyPath = Path.Combine(Directory, "privkey.pem");
        File.WriteAllText(CaPath, ca.ExportCertificatePem());
        File.WriteAllText(CertificatePath, leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public string Directory { get; }

    /// <summary>The CA certificate (what clients are given to trust).</summary>
    public string CaPath { get; }

    /// <summary>The server certificate followed by the CA, as a full-chain PEM.</summary>
    public string CertificatePath { get; }

    public string KeyPath { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
