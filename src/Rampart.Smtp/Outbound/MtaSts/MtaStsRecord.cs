namespace Rampart.Smtp.Outbound.MtaSts;

/// <summary>The TXT record at <c>_mta-sts.DOMAIN</c> (RFC 8461 §3.1): it says a policy exists and names its version
/// (<c>id</c>), so a sender knows when its cached copy is stale.</summary>
public sealed record MtaStsRecord(string Id)
{
    /// <summary>Finds the one STSv1 record among <paramref name="txt"/>; null when there is none, or more than one
    /// (RFC 8461 §3.1: then the domain is treated as having no policy record), or it is malformed.</summary>
    public static MtaStsRecord? Select(IEnumerable<string> txt)
    {
        ArgumentNullException.ThrowIfNull(txt);
        var candidates = txt.Where(t => t.StartsWith("v=STSv1", StringComparison.Ordinal)).ToList();
        return candidates.Count == 1 ? TryParse(candidates[0]) : null;
    }

    /// <summary>Parses <c>v=STSv1; id=…</c>; other fields are ignored (RFC 8461 §3.1). The id is 1 to 32 letters and
    /// digits.</summary>
    public static MtaStsRecord? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0 || fields[0] != "v=STSv1")
        {
            return null;
        }

        foreach (var field in fields.Skip(1))
        {
            if (field.StartsWith("id=", StringComparison.Ordinal))
            {
                var id = field[3..];
                return id.Length is > 0 and <= 32 && id.All(char.IsAsciiLetterOrDigit) ? new MtaStsRecord(id) : null;
            }
        }

        return null;
    }
}
