using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Net.Options;
using Rampart.Net.Tests.TestSupport;
using Rampart.Net.Tls;

namespace Rampart.Net.Tests.Tls;

public sealed class CertificateStoreTests : IDisposable
{
    private readonly TestCertificates _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Generates_a_certificate_on_first_use_and_reuses_it()
    {
        var directory = Path.Combine(_files.Directory, "data", "tls");
        string thumbprint;
        using (var first = new CertificateStore(new TlsOptions(), directory, "mail.example.test", NullLogger.Instance))
        {
            Assert.True(first.IsGenerated);
            var certificate = first.Default.Certificate;
            thumbprint = certificate.Thumbprint;
            Assert.Equal("CN=mail.example.test", certificate.Subject);
            Assert.Equal("1.2.840.10045.2.1", certificate.GetKeyAlgorithm()); // ECDSA
            var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            Assert.Equal(["mail.example.test", "localhost"], san.EnumerateDnsNames());
            Assert.Equal(["127.0.0.1", "::1"], san.EnumerateIPAddresses().Select(a => a.ToString()));
            Assert.InRange((certificate.NotAfter - certificate.NotBefore).TotalDays, 364, 366);
            Assert.True(certificate.HasPrivateKey);
        }

        var keyPath = Path.Combine(directory, SelfSignedCertificate.KeyFileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        }

        using var second = new CertificateStore(new TlsOptions(), directory, "mail.example.test", NullLogger.Instance);
        Assert.Equal(thumbprint, second.Default.Certificate.Thumbprint);
    }

    [Fact]
    public void Loads_rsa_and_ecdsa_pem()
    {
        var rsa = _files.WriteRsa("rsa.test");
        var ecdsa = _files.WriteEcdsa("ecdsa.test");
        using var a = new CertificateStore(new TlsOptions { CertificatePath = rsa.CertificatePath, KeyPath = rsa.KeyPath }, _files.Directory, "x", NullLogger.Instance);
        using var b = new CertificateStore(new TlsOptions { CertificatePath = ecdsa.CertificatePath, KeyPath = ecdsa.KeyPath }, _files.Directory, "x", NullLogger.Instance);
        Assert.Equal("CN=rsa.test", a.Default.Certificate.Subject);
        Assert.Equal("CN=ecdsa.test", b.Default.Certificate.Subject);
        Assert.False(a.IsGenerated);
    }

    [Fact]
    public void Bad_pem_gives_a_clear_message()
    {
        var good = _files.WriteEcdsa("good.test");
        var garbage = Path.Combine(_files.Directory, "garbage.pem");
        File.WriteAllText(garbage, "this is not PEM");
        var ex = Assert.Throws<CertificateException>(() => new CertificateStore(new TlsOptions { CertificatePath = garbage, KeyPath = good.KeyPath }, _files.Directory, "x", NullLogger.Instance));
        Assert.Contains(garbage, ex.Message);
        Assert.Contains("BEGIN CERTIFICATE", ex.Message);

        var ex2 = Assert.Throws<CertificateException>(() => new CertificateStore(new TlsOptions { CertificatePath = good.CertificatePath, KeyPath = garbage }, _files.Directory, "x", NullLogger.Instance));
        Assert.Contains(garbage, ex2.Message);
        Assert.StartsWith("Private key file", ex2.Message);

        var missing = Path.Combine(_files.Directory, "missing.pem");
        var ex3 = Assert.Throws<CertificateException>(() => new CertificateStore(new TlsOptions { CertificatePath = missing, KeyPath = good.KeyPath }, _files.Directory, "x", NullLogger.Instance));
        Assert.Contains(missing, ex3.Message);

        // A key that belongs to another certificate.
        var other = _files.WriteEcdsa("other.test");
        var ex4 = Assert.Throws<CertificateException>(() => new CertificateStore(new TlsOptions { CertificatePath = good.CertificatePath, KeyPath = other.KeyPath }, _files.Directory, "x", NullLogger.Instance));
        Assert.Contains(other.KeyPath, ex4.Message);
    }

    // New files are picked up without a restart; new connections see the new certificate. A bad file keeps the old one.
    [Fact]
    public async Task Reloads_when_the_files_change()
    {
        var (certificatePath, keyPath) = _files.WriteEcdsa("before.test", "server");
        await using var server = TestServer.Start(_files, tls: o =>
        {
            o.CertificatePath = certificatePath;
            o.KeyPath = keyPath;
            o.ReloadCheckInterval = TimeSpan.FromMilliseconds(200);
        });
        Assert.Equal("CN=before.test", await SubjectAsync(server));

        var reloaded = new TaskCompletionSource();
        server.Certificates.Reloaded += (_, _) => reloaded.TrySetResult();
        File.WriteAllText(certificatePath, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
        await Task.Delay(1000);
        Assert.Equal("CN=before.test", await SubjectAsync(server));

        _files.WriteEcdsa("after.test", "server");
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("CN=after.test", await SubjectAsync(server));
    }

    private static async Task<string> SubjectAsync(TestServer server)
    {
        var (tcp, ssl) = await server.ConnectTlsAsync();
        using (tcp)
        await using (ssl)
        {
            return new X509Certificate2(ssl.RemoteCertificate!).Subject;
        }
    }
}
