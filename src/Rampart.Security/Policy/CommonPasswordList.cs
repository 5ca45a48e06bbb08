using System.Collections.Frozen;
using System.Text;

namespace Rampart.Security.Policy;

/// <summary>
/// The offline list of common passwords shipped inside Rampart (about 12 000: the best-known leaked and default
/// passwords, keyboard walks, digit runs, word+year and season+year patterns). A candidate matches when its lower-case
/// form, or that form with common look-alike substitutions undone (<c>@</c>→a, <c>0</c>→o, <c>1</c>→i, <c>3</c>→e,
/// <c>$</c>→s …) and trailing digits and symbols removed, is on the list, so <c>P@ssw0rd2024!</c> is caught with
/// <c>password</c> (NIST SP 800-63B §3.1.1.2 "commonly-used, expected, or compromised").
/// </summary>
public static class CommonPasswordList
{
    private static readonly Lazy<FrozenSet<string>> Words = new(Load);

    /// <summary>How many entries the list holds.</summary>
    public static int Count => Words.Value.Count;

    /// <summary>True when <paramref name="password"/> (already NFKC) is common.</summary>
    public static bool Contains(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var lower = password.ToLowerInvariant();
        var words = Words.Value;
        if (words.Contains(lower))
        {
            return true;
        }

        var plain = Unleet(lower);
        if (words.Contains(plain))
        {
            return true;
        }

        var stem = plain.TrimEnd("0123456789!@#$%^&*?.-_+=~ ".ToCharArray());
        var lowerStem = lower.TrimEnd("0123456789!@#$%^&*?.-_+=~ ".ToCharArray());
        return (stem.Length >= 4 && words.Contains(stem)) || (lowerStem.Length >= 4 && words.Contains(lowerStem));
    }

    private static string Unleet(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '@' or '4' => 'a',
                '0' => 'o',
                '1' or '!' => 'i',
                '3' => 'e',
                '$' or '5' => 's',
                '7' => 't',
                _ => c,
            });
        }

        // Undo only the letters in the middle: a trailing "123" is a suffix, not "ize".
        var trailing = text.Length - text.TrimEnd("0123456789!@#$%^&*?.-_+=~ ".ToCharArray()).Length;
        return builder.ToString(0, text.Length - trailing) + text[(text.Length - trailing)..];
    }

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswordList).Assembly.GetManifestResourceStream("Rampart.Security.Policy.CommonPasswords.txt")
            ?? throw new InvalidOperationException("The common password list is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                set.Add(line.Trim());
            }
        }

        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}
