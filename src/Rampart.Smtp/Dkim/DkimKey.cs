using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;

namespace Rampart.Smtp.Dkim;

/// <summary>The key types Rampart signs with: RSA (RFC 6376 §3.3.1) and Ed25519 (RFC 8463).</summary>
public enum DkimKeyAlgorithm
{
    /// <summary>RSA, 2048 bits: every verifier accepts it.</summary>
    Rsa,

    /// <summary>Ed25519: small keys and signatures, not yet verified everywhere; publish it next to an RSA key.</summary>
    Ed25519,
}

/// <summary>One domain's signing key as stored in the keyring (<c>&lt;data&gt;/dkim/&lt;domain&gt;/&lt;selector&gt;.pem</c>).</summary>
public sealed class DkimKey
{
    internal DkimKey(string domain, string selector, string path, AsymmetricKeyParameter privateKey)
    {
        Domain = domain;
        Selector = selector;
        Path = path;
        PrivateKey = privateKey;
        Algorithm = privateKey is Ed25519PrivateKeyParameters ? DkimKeyAlgorithm.Ed25519 : DkimKeyAlgorithm.Rsa;
    }

    /// <summary>The signing domain (d=).</summary>
    public string Domain { get; }

    /// <summary>The selector (s=).</summary>
    public string Selector { get; }

    /// <summary>The PEM file holding the private key.</summary>
    public string Path { get; }

    /// <summary>The key type.</summary>
    public DkimKeyAlgorithm Algorithm { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Where the public key is published: <c>selector._domainkey.domain</c> (RFC 6376 §3.6.2.1).</summary>
    public string DnsName => $"{Selector}._domainkey.{Domain}";

    /// <summary>The public key as the p= tag carries it: base64 of the SubjectPublicKeyInfo for RSA (RFC 6376 §3.6.1),
    /// of the raw 32-byte key for Ed25519 (RFC 8463 §4.2).</summary>
    public string PublicKey => PrivateKey switch
    {
        Ed25519PrivateKeyParameters ed => Convert.ToBase64String(ed.GeneratePublicKey().GetEncoded()),
        RsaPrivateCrtKeyParameters rsa => Convert.ToBase64String(SubjectPublicKeyInfoFactory
            .CreateSubjectPublicKeyInfo(new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent)).GetDerEncoded()),
        _ => throw new InvalidOperationException("unsupported DKIM key type"),
    };

    /// <summary>The TXT record value to publish at <see cref="DnsName"/>.</summary>
    public string DnsRecord => $"v=DKIM1; k={(Algorithm == DkimKeyAlgorithm.Ed25519 ? "ed25519" : "rsa")}; p={PublicKey}";

    /// <summary>The record as a zone-file line, split into 255-character strings as DNS requires of TXT data.</summary>
    public string ZoneFileLine
    {
        get
        {
            var record = DnsRecord;
            var parts = new List<string>();
            for (var i = 0; i < record.Length; i += 255)
            {
                parts.Add($"\"{record.AsSpan(i, Math.Min(255, record.Length - i))}\"");
            }

            return $"{DnsName}. IN TXT {string.Join(' ', parts)}";
        }
    }
}
