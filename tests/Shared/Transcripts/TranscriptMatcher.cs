using System.Text;
using System.Text.RegularExpressions;

namespace Rampart.Testing.Transcripts;

/// <summary>Compares a received line with a transcript's expected one: <c>*</c> at the end matches the rest of the
/// line; <c>$name</c> matches a run of non-space characters, the first time it appears, and must then match the same
/// text wherever it appears again (later in the line or in later lines).</summary>
public static partial class TranscriptMatcher
{
    /// <summary>Whether <paramref name="actual"/> matches <paramref name="expected"/>; on a match, the values of
    /// names seen for the first time are added to <paramref name="captures"/>.</summary>
    public static bool Matches(string expected, string actual, Dictionary<string, string> captures)
    {
        var pattern = new StringBuilder("^");
        var newNames = new List<string>();
        var text = expected;
        var wildcard = text.EndsWith('*');
        if (wildcard)
        {
            text = text[..^1];
        }

        var position = 0;
        foreach (Match variable in Variable().Matches(text))
        {
            pattern.Append(Regex.Escape(text[position..variable.Index]));
            var name = variable.Groups[1].Value;
            if (captures.TryGetValue(name, out var bound))
            {
                pattern.Append(Regex.Escape(bound));
            }
            else if (newNames.Contains(name))
            {
                pattern.Append(@"\k<").Append(name).Append('>');
            }
            else
            {
                pattern.Append("(?<").Append(name).Append(@">\S+)");
                newNames.Add(name);
            }

            position = variable.Index + variable.Length;
        }

        pattern.Append(Regex.Escape(text[position..]));
        pattern.Append(wildcard ? ".*$" : "$");
        var match = Regex.Match(actual, pattern.ToString(), RegexOptions.Singleline);
        if (!match.Success)
        {
            return false;
        }

        foreach (var name in newNames)
        {
            captures[name] = match.Groups[name].Value;
        }

        return true;
    }

    [GeneratedRegex(@"\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Variable();
}
