using Rampart.Store.Model;

namespace Rampart.Server.Cli;

/// <summary>Parses <c>--flag</c> values: the system flags of RFC 9051 §2.3.2 or keywords (atoms without specials).</summary>
public static class FlagParser
{
    public static MessageFlags Parse(IEnumerable<string> values)
    {
        var system = SystemFlags.None;
        var keywords = new List<string>();
        foreach (var value in values)
        {
            var flag = value.ToUpperInvariant() switch
            {
                "\\SEEN" => SystemFlags.Seen,
                "\\ANSWERED" => SystemFlags.Answered,
                "\\FLAGGED" => SystemFlags.Flagged,
                "\\DELETED" => SystemFlags.Deleted,
                "\\DRAFT" => SystemFlags.Draft,
                _ => SystemFlags.None,
            };
            if (flag != SystemFlags.None)
            {
                system |= flag;
            }
            else if (IsKeyword(value))
            {
                if (!keywords.Contains(value, StringComparer.OrdinalIgnoreCase))
                {
                    keywords.Add(value);
                }
            }
            else
            {
                throw new CliException(ExitCodes.Usage, $"--flag {value}: not a system flag or a keyword (RFC 9051 flag-keyword is an atom: no spaces, ()%*\"\\]{{ or controls)");
            }
        }

        return new MessageFlags(system, keywords);
    }

    // RFC 9051 §9: flag-keyword = "$MDNSent" / "$Forwarded" / ... / atom; atom excludes atom-specials.
    private static bool IsKeyword(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => c is > ' ' and < (char)0x7f && "(){ %*\"\\]".IndexOf(c, StringComparison.Ordinal) < 0);
}
