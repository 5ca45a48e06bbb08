namespace Rampart.Smtp.SenderChecks.Dmarc;

/// <summary>The organizational domain of RFC 7489 §3.2: the public suffix plus one label. Public suffixes come from
/// the Public Suffix List file (Debian package <c>publicsuffix</c>, <see cref="DefaultListPath"/>); without the file,
/// the last two labels are taken, which is right for <c>example.com</c> and wrong for <c>example.co.uk</c>.</summary>
public sealed class OrganizationalDomain
{
    /// <summary>Where Debian installs the list.</summary>
    public const string DefaultListPath = "/usr/share/publicsuffix/public_suffix_list.dat";

    private readonly HashSet<string> rules = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> wildcards = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> exceptions = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="listPath">The Public Suffix List file; null or missing: the last-two-labels fallback.</param>
    public OrganizationalDomain(string? listPath = DefaultListPath)
    {
        if (listPath is null || !File.Exists(listPath))
        {
            return;
        }

        foreach (var raw in File.ReadLines(listPath))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            line = line.Split(' ', '\t')[0];
            if (line.StartsWith('!'))
            {
                exceptions.Add(line[1..]);
            }
            else if (line.StartsWith("*.", StringComparison.Ordinal))
            {
                wildcards.Add(line[2..]);
            }
            else
            {
                rules.Add(line);
            }
        }
    }

    /// <summary>True when the Public Suffix List was loaded.</summary>
    public bool HasList => rules.Count > 0;

    /// <summary>The organizational domain of <paramref name="domain"/> (lower case, no trailing dot).</summary>
    public string Of(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var labels = domain.TrimEnd('.').ToLowerInvariant().Split('.');
        if (labels.Length < 2)
        {
            return string.Join('.', labels);
        }

        var suffixLabels = 1;
        if (HasList)
        {
            // The longest matching rule wins; an exception rule's suffix is one label shorter (PSL algorithm).
            suffixLabels = 1;
            for (var n = labels.Length; n >= 1; n--)
            {
                var candidate = string.Join('.', labels[^n..]);
                if (exceptions.Contains(candidate))
                {
                    suffixLabels = n - 1;
                    break;
                }

                if (rules.Contains(candidate) || (n > 1 && wildcards.Contains(string.Join('.', labels[^(n - 1)..]))))
                {
                    suffixLabels = n;
                    break;
                }
            }
        }

        var keep = Math.Min(labels.Length, suffixLabels + 1);
        return string.Join('.', labels[^keep..]);
    }
}
