using System.Globalization;

namespace Rampart.Smtp.SenderChecks.Dmarc;

/// <summary>The policy a DMARC record asks for (RFC 7489 §6.3 p= and sp=).</summary>
public enum DmarcPolicy
{
    /// <summary>Monitor only.</summary>
    None,

    /// <summary>Treat failing mail as suspicious.</summary>
    Quarantine,

    /// <summary>Refuse failing mail.</summary>
    Reject,
}

/// <summary>The tags of a DMARC record that decide a message's fate (RFC 7489 §6.3); reporting tags are not used.</summary>
/// <param name="Policy">p=.</param>
/// <param name="SubdomainPolicy">sp=, or p= when absent.</param>
/// <param name="StrictDkim">adkim=s.</param>
/// <param name="StrictSpf">aspf=s.</param>
/// <param name="Percent">pct=, 0 to 100 (default 100).</param>
public sealed record DmarcRecord(DmarcPolicy Policy, DmarcPolicy SubdomainPolicy, bool StrictDkim, bool StrictSpf, int Percent)
{
    /// <summary>True when the TXT record is a DMARC record: it starts with the v=DMARC1 tag (§6.4).</summary>
    public static bool IsDmarc1(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.Split(';')[0].Replace(" ", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal);
        return first == "v=DMARC1";
    }

    /// <summary>Parses a record; null when it is unusable (no valid p= and no rua= either, §6.6.3).</summary>
    public static DmarcRecord? Parse(string text)
    {
        var tags = DkimVerification.DkimTags.Parse(text);
        DmarcPolicy? policy = tags.TryGetValue("p", out var p) ? ParsePolicy(p) : null;
        if (policy is null)
        {
            // §6.6.3: with a missing or bad p= but an rua=, the record counts as p=none.
            if (!tags.ContainsKey("rua"))
            {
                return null;
            }

            policy = DmarcPolicy.None;
        }

        var subdomain = tags.TryGetValue("sp", out var sp) ? ParsePolicy(sp) ?? policy.Value : policy.Value;
        var percent = 100;
        if (tags.TryGetValue("pct", out var pct) && int.TryParse(pct, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100)
        {
            percent = n;
        }

        return new DmarcRecord(policy.Value, subdomain,
            tags.GetValueOrDefault("adkim", "r").Equals("s", StringComparison.OrdinalIgnoreCase),
            tags.GetValueOrDefault("aspf", "r").Equals("s", StringComparison.OrdinalIgnoreCase),
            percent);
    }

    private static DmarcPolicy? ParsePolicy(string value) => value.ToLowerInvariant() switch
    {
        "none" => DmarcPolicy.None,
        "quarantine" => DmarcPolicy.Quarantine,
        "reject" => DmarcPolicy.Reject,
        _ => null,
    };
}
