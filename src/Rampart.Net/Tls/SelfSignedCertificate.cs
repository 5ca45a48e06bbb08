using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rampart.Net.Tls;

/// <summary>The certificate Rampart makes for itself when none is configured, so that a first start serves TLS.</summary>
/// <remarks>ECDSA P-256 (small, fast, accepted by every TLS 1.2+ client); CN and SAN carry the host name,
/// localhost, 127.0.0.1 and ::1; valid one year; regenerated when expired.</remarks>
public static class SelfSignedCertificate
{
    /// <summary>File name of the generated certificate inside the directory.</summary>
    public const string CertificateFileName = "cert.pem";

    /// <summary>File name of the generated key inside the directory (mode 0600).</summary>
    public const string KeyFileName = "key.pem";

    /// <summary>
    /// Returns the certificate and key paths in <paramref name="directory"/>, creating them when they are
    /// missing or the certificate has expired. A present, valid pair is reused so clients that pinned it keep working.
    /// </summary>
    /// <returns>True when a new certificate was written.</returns>
    public static bool EnsureExists(string directory, string hostName, out string certificatePath, out string keyPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        certificatePath = Path.Combine(directory, CertificateFileName);
        keyPath = Path.Combine(directory, KeyFileName);
        if (File.Exists(certificatePath) && File.Exists(keyPath) && !IsExpired(certificatePath))
        {
            return false;
        }

        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = Create(key, hostName);
        // Key first, created 0600 from the start: there is never a moment when it is world-readable.
        WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        WriteAtomically(certificatePath, certificate.ExportCertificatePem(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return true;
    }

    /// <summary>Creates a self-signed server certificate for <paramref name="hostName"/> with <paramref name="key"/>.</summary>
    public static X509Certificate2 Create(ECDsa key, string hostName, TimeSpan? validity = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (string.IsNullOrWhiteSpace(hostName))
        {
            hostName = "localhost";
        }

        var request = new CertificateRequest(new X500DistinguishedName("CN=" + hostName.Replace(",", "", StringComparison.Ordinal)), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(hostName);
        if (!string.Equals(hostName, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            san.AddDnsName("localhost");
        }

        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        // Backdated an hour so a client with a slightly slow clock does not see "not yet valid".
        return request.CreateSelfSigned(now.AddHours(-1), now.Add(validity ?? TimeSpan.FromDays(365)));
    }

    private static bool IsExpired(string certificatePath)
    {
        try
        {
            using var existing = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
            return existing.NotAfter.ToUniversalTime() <= DateTime.UtcNow;
        }
        catch (CryptographicException)
        {
            // Unreadable: let the loader report it with its path rather than silently replacing the file.
            return false;
        }
    }

    private static void WriteAtomically(string path, string content, UnixFileMode mode)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode only applies to new files; a stale .tmp keeps its old mode otherwise.
            File.SetUnixFileMode(temporary, mode);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
