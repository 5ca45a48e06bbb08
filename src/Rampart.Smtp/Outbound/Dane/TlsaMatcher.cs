using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rampart.Smtp.Outbound.Dane;

/// <summary>Decides whether the certificates a server presented satisfy its TLSA records (RFC 6698 §2.1, RFC 7671,
/// RFC 7672 §3).</summary>
public static class TlsaMatcher
{
    /// <summary>True when one usable record matches.</summary>
    /// <param name="records">The TLSA RRset (unusable records are skipped).</param>
    /// <param name="leaf">The server's certificate.</param>
    /// <param name="presented">The other certificates the server sent (its chain, in any order).</param>
    /// <param name="names">Reference identifiers for DANE-TA: the MX host name and the next-hop domain (RFC 7672
    /// §3.2.2). DANE-EE checks no name (§3.2.1): the key itself is what the domain vouched for.</param>
    public static bool Matches(IEnumerable<TlsaAssociation> records, X509Certificate2 leaf, IReadOnlyCollection<X509Certificate2> presented, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(names);
        foreach (var record in records.Where(r => r.IsUsable))
        {
            if (record.Usage == TlsaAssociation.DaneEe)
            {
                // RFC 7672 §3.1.1: no name, expiry or chain checks for DANE-EE.
                if (DataMatches(record, leaf))
                {
                    return true;
                }

                continue;
            }

            if (!names.Any(n => leaf.MatchesHostname(n, allowWildcards: true, allowCommonName: false)))
            {
                continue;
            }

            foreach (var anchor in presented.Where(c => !c.RawData.AsSpan().SequenceEqual(leaf.RawData)))
            {
                if (DataMatches(record, anchor) && ChainsTo(leaf, anchor, presented))
                {
                    return true;
                }
            }

            // RFC 7671 §5.2.2: a "2 0 0" record carries the whole trust anchor, so servers that leave their root out of
            // the handshake (as many do) can still be checked against it.
            if (record is { Selector: 0, MatchingType: 0 } && FullAnchor(record.Data) is { } published)
            {
                using (published)
                {
                    if (ChainsTo(leaf, published, presented))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static X509Certificate2? FullAnchor(byte[] data)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(data);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Whether the record's data is the selected part of <paramref name="certificate"/>, whole or hashed.</summary>
    public static bool DataMatches(TlsaAssociation record, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(certificate);
        var selected = record.Selector == 0 ? certificate.RawData : certificate.PublicKey.ExportSubjectPublicKeyInfo();
        var value = record.MatchingType switch
        {
            0 => selected,
            1 => SHA256.HashData(selected),
            2 => SHA512.HashData(selected),
            _ => null,
        };

        // Not secret, but a constant-time compare costs nothing here.
        return value is not null && CryptographicOperations.FixedTimeEquals(value, record.Data);
    }

    // RFC 7671 §5.2.2: with DANE-TA the chain from the leaf must lead to the anchor; the anchor is trusted as a root
    // whatever its own validity (the TLSA record is the trust statement), the other certificates are checked as usual.
    private static bool ChainsTo(X509Certificate2 leaf, X509Certificate2 anchor, IEnumerable<X509Certificate2> presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(anchor);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ExtraStore.AddRange(presented.ToArray());
        return chain.Build(leaf);
    }
}
