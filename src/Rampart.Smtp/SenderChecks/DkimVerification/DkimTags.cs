namespace Rampart.Smtp.SenderChecks.DkimVerification;

/// <summary>The tag-list syntax of RFC 6376 §3.2 (<c>tag=value; tag=value</c>), whitespace removed from values.</summary>
internal static class DkimTags
{
    /// <summary>The tags of <paramref name="text"/>; the first of a repeated tag wins (a repeated tag makes a signature
    /// invalid, which the verifier itself reports).</summary>
    public static Dictionary<string, string> Parse(string text)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(';'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var name = part[..equals].Trim();
            var value = string.Concat(part[(equals + 1)..].Where(c => !char.IsWhiteSpace(c)));
            tags.TryAdd(name, value);
        }

        return tags;
    }
}
