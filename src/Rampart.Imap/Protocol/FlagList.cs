using System.Text;
using Rampart.Store.Model;

namespace Rampart.Imap.Protocol;

/// <summary>Flag lists (RFC 9051 §2.3.2): formatting a message's flags, and turning parsed flag names into
/// <see cref="MessageFlags"/>.</summary>
internal static class FlagList
{
    /// <summary>Most distinct keywords one command may set. Default 100: enough for any mail client's labels,
    /// and it bounds what one STORE or APPEND adds per message (SECURITY.md M07).</summary>
    public const int MaxKeywords = 100;

    public const string Permanent = "(\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)";

    public const string Defined = "(\\Answered \\Flagged \\Deleted \\Seen \\Draft)";

    public static string Format(MessageFlags flags)
    {
        var text = new StringBuilder("(");
        void Add(string s)
        {
            if (text.Length > 1)
            {
                text.Append(' ');
            }

            text.Append(s);
        }

        if (flags.Has(SystemFlags.Seen))
        {
            Add("\\Seen");
        }

        if (flags.Has(SystemFlags.Answered))
        {
            Add("\\Answered");
        }

        if (flags.Has(SystemFlags.Flagged))
        {
            Add("\\Flagged");
        }

        if (flags.Has(SystemFlags.Deleted))
        {
            Add("\\Deleted");
        }

        if (flags.Has(SystemFlags.Draft))
        {
            Add("\\Draft");
        }

        foreach (var keyword in flags.Keywords)
        {
            Add(keyword);
        }

        return text.Append(')').ToString();
    }

    /// <summary>Builds flags from names as parsed; <c>\Recent</c> is ignored (it cannot be set), an unknown
    /// system flag is BAD.</summary>
    public static MessageFlags Parse(IEnumerable<string> names)
    {
        var system = SystemFlags.None;
        var keywords = new List<string>();
        foreach (var name in names)
        {
            if (name.StartsWith('\\'))
            {
                system |= name.ToUpperInvariant() switch
                {
                    "\\SEEN" => SystemFlags.Seen,
                    "\\ANSWERED" => SystemFlags.Answered,
                    "\\FLAGGED" => SystemFlags.Flagged,
                    "\\DELETED" => SystemFlags.Deleted,
                    "\\DRAFT" => SystemFlags.Draft,
                    "\\RECENT" => SystemFlags.None,
                    _ => throw ImapCommandException.Syntax("Unknown system flag " + name),
                };
            }
            else if (!keywords.Any(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)))
            {
                if (keywords.Count >= MaxKeywords)
                {
                    throw ImapCommandException.No("LIMIT", "Too many keywords");
                }

                keywords.Add(name);
            }
        }

        return new MessageFlags(system, keywords);
    }

    /// <summary>Parses a parenthesized flag list.</summary>
    public static MessageFlags ParseList(ArgumentReader reader)
    {
        var names = new List<string>();
        reader.List(() => names.Add(reader.Flag()));
        return Parse(names);
    }
}
