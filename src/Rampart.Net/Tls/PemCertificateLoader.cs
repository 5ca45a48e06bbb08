using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rampart.Net.Tls;

/// <summary>Loads a certificate chain and its private key from PEM files into a form SslStream can serve.</summary>
internal static class PemCertificateLoader
{
    /// <summary>Loads <paramref name="certificatePath"/> (leaf first, then intermediates) and <paramref name="keyPath"/>.</summary>
    /// <exception cref="CertificateException">A file is missing, unreadable, not PEM, or the key does not match.</exception>
    public static SslCertificate Load(string certificatePath, string keyPath)
    {
        string certificatePem = ReadFile(certificatePath, "certificate");
        string keyPem = ReadFile(keyPath, "private key");
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(certificatePem);
        }
        catch (CryptographicException ex)
        {
            throw new CertificateException($"Certificate file {certificatePath}: not a valid PEM certificate ({ex.Message}).", ex);
        }

        if (chain.Count == 0)
        {
            throw new CertificateException($"Certificate file {certificatePath}: no \"-----BEGIN CERTIFICATE-----\" block found.");
        }

        var leaf = chain[0];
        X509Certificate2 withKey;
        try
        {
            withKey = AttachKey(leaf, keyPem);
        }
        catch (CryptographicException ex)
        {
            throw new CertificateException($"Private key file {keyPath}: cannot be used with certificate {certificatePath} ({ex.Message}).", ex);
        }
        catch (ArgumentException ex)
        {
            throw new CertificateException($"Private key file {keyPath}: not a valid PEM private key ({ex.Message}).", ex);
        }

        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }

        leaf.Dispose();
        return new SslCertificate(withKey, intermediates);
    }

    /// <summary>
    /// Pairs the certificate with the key and re-imports the pair through PKCS#12: on Linux SslStream cannot
    /// use a certificate whose key is ephemeral (what CopyWithPrivateKey returns).
    /// </summary>
    internal static X509Certificate2 AttachKey(X509Certificate2 certificate, string keyPem)
    {
        var algorithm = certificate.GetKeyAlgorithm();
        X509Certificate2 paired;
        if (algorithm == "1.2.840.10045.2.1")
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(keyPem);
            paired = certificate.CopyWithPrivateKey(ecdsa);
        }
        else if (algorithm == "1.2.840.113549.1.1.1")
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(keyPem);
            paired = certificate.CopyWithPrivateKey(rsa);
        }
        else
        {
            throw new CryptographicException($"unsupported key algorithm {algorithm} (use RSA or ECDSA)");
        }

        using (paired)
        {
            return X509CertificateLoader.LoadPkcs12(paired.Export(X509ContentType.Pkcs12), null);
        }
    }

    private static string ReadFile(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CertificateException($"Cannot read {what} file {path}: {ex.Message}", ex);
        }
    }
}
