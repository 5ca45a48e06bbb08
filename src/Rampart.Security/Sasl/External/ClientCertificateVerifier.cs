using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rampart.Net.Options;

namespace Rampart.Security.Sasl.External;

/// <summary>
/// Decides whether a TLS client certificate vouches for a name, for one listener: the chain must end at one of the
/// listener's CA certificates only (<see cref="X509ChainTrustMode.CustomRootTrust"/>; the system store is never used),
/// be within its validity period, allow client authentication, and the certificate's serial must not be in the CRL
/// file. The name is then read from the email SAN, the UPN SAN or the subject CN (<see cref="ClientCertificateOptions.AccountFrom"/>).
/// </summary>
/// <remarks>The CRL is read with <see cref="CertificateRevocationListBuilder.Load(byte[], out System.Numerics.BigInteger)"/>
/// and matched by serial number: the file is the admin's, so its own signature is not checked; it is re-read when its
/// modification time changes.</remarks>
public sealed class ClientCertificateVerifier
{
    /// <summary>The OID of the client-authentication extended key usage (RFC 5280 §4.2.1.12).</summary>
    public const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    private readonly X509Certificate2Collection _roots;
    private readonly ClientCertificateOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _crlLock = new();
    private DateTime _crlWrite;
    private byte[]? _crl;

    /// <summary>Loads the CA bundle of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">No CA file, or it holds no certificate, or AccountFrom is unknown.</exception>
    public ClientCertificateVerifier(ClientCertificateOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.CaFile))
        {
            throw new ArgumentException("ClientCertificates needs a CaFile: the CA bundle that issues client certificates.", nameof(options));
        }

        if (options.AccountFrom is not ("email" or "upn" or "cn"))
        {
            throw new ArgumentException($"ClientCertificates:AccountFrom must be email, upn or cn, not \"{options.AccountFrom}\".", nameof(options));
        }

        _roots = [];
        _roots.ImportFromPemFile(options.CaFile);
        if (_roots.Count == 0)
        {
            throw new ArgumentException($"{options.CaFile} holds no PEM certificate.", nameof(options));
        }

        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The name the certificate vouches for, or null with <paramref name="reason"/> (for the audit log).</summary>
    public string? Verify(X509Certificate2 certificate, out string reason)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        // Intermediate CAs may sit in the bundle next to the roots.
        chain.ChainPolicy.ExtraStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthenticationOid));
        if (!chain.Build(certificate))
        {
            var status = chain.ChainStatus.Select(s => s.Status).Aggregate(X509ChainStatusFlags.NoError, (a, b) => a | b);
            reason = status.HasFlag(X509ChainStatusFlags.NotTimeValid) ? "certificate-expired" : "certificate-untrusted";
            return null;
        }

        if (IsRevoked(chain))
        {
            reason = "certificate-revoked";
            return null;
        }

        var name = _options.AccountFrom switch
        {
            "upn" => certificate.GetNameInfo(X509NameType.UpnName, forIssuer: false),
            "cn" => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false),
            _ => certificate.GetNameInfo(X509NameType.EmailName, forIssuer: false),
        };
        if (string.IsNullOrEmpty(name) || name.Length > 255)
        {
            reason = "certificate-no-name";
            return null;
        }

        reason = string.Empty;
        return name;
    }

    private bool IsRevoked(X509Chain chain)
    {
        var crl = LoadCrl();
        if (crl is null)
        {
            return false;
        }

        // Every certificate of the chain but the root: the leaf, and intermediates the CA may have revoked.
        var builder = CertificateRevocationListBuilder.Load(crl, out _);
        for (var i = 0; i < chain.ChainElements.Count - 1; i++)
        {
            if (builder.RemoveEntry(chain.ChainElements[i].Certificate.SerialNumberBytes.Span))
            {
                return true;
            }
        }

        return false;
    }

    private byte[]? LoadCrl()
    {
        if (string.IsNullOrWhiteSpace(_options.CrlFile))
        {
            return null;
        }

        lock (_crlLock)
        {
            var written = File.GetLastWriteTimeUtc(_options.CrlFile);
            if (_crl is null || written != _crlWrite)
            {
                var bytes = File.ReadAllBytes(_options.CrlFile);
                _crl = bytes.Length > 0 && bytes[0] == (byte)'-'
                    ? PemDer(System.Text.Encoding.ASCII.GetString(bytes))
                    : bytes;
                _crlWrite = written;
            }

            return _crl;
        }
    }

    private static byte[] PemDer(string pem)
    {
        var fields = PemEncoding.Find(pem);
        return Convert.FromBase64String(pem[fields.Base64Data]);
    }
}
