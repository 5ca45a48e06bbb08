using System.Text;
using System.Text.RegularExpressions;
using Rampart.Imap.Protocol;
using Rampart.Imap.Session;
using Rampart.Store.Model;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>LIST with LIST-EXTENDED selection options (SUBSCRIBED, SPECIAL-USE, RECURSIVEMATCH), several
/// patterns, and return options (SUBSCRIBED, CHILDREN, SPECIAL-USE, STATUS for LIST-STATUS). LSUB is the rev1
/// form of LIST (SUBSCRIBED).</summary>
/// <remarks>RFC 9051 §6.3.9 (RFC 3501 §6.3.8, §6.3.9), RFC 5258, RFC 5819, RFC 6154. States: Authenticated, Selected.</remarks>
internal static class ListCommand
{
    public static CommandDefinition Definition { get; } = new("LIST", SessionState.LoggedIn, "RFC 9051 §6.3.9", (s, c) => ExecuteAsync(s, c, lsub: false));

    public static CommandDefinition LsubDefinition { get; } = new("LSUB", SessionState.LoggedIn, "RFC 3501 §6.3.9", (s, c) => ExecuteAsync(s, c, lsub: true));

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command, bool lsub)
    {
        var args = command.Arguments;
        var utf8 = session.Utf8Names;
        args.Space();
        bool selectSubscribed = lsub, selectSpecialUse = false, returnSubscribed = false, returnSpecialUse = false, returnChildren = !lsub;
        List<string>? statusItems = null;
        if (!lsub && args.TryOpenList())
        {
            if (!args.TryCloseList())
            {
                do
                {
                    var option = args.Atom().ToUpperInvariant();
                    switch (option)
                    {
                        case "SUBSCRIBED":
                            selectSubscribed = true;
                            returnSubscribed = true;
                            break;
                        case "SPECIAL-USE":
                            selectSpecialUse = true;
                            returnSpecialUse = true;
                            break;
                        case "REMOTE" or "RECURSIVEMATCH":
                            break;
                        default:
                            throw ImapCommandException.Syntax("Unknown LIST selection option " + option);
                    }
                }
                while (args.TrySpace());
                args.Expect((byte)')', ")");
            }

            args.Space();
        }

        var reference = MailboxName.FromWire(args.AstringBytes(), utf8);
        args.Space();
        var patterns = new List<string>();
        if (args.TryOpenList())
        {
            do
            {
                patterns.Add(Pattern(args, utf8));
            }
            while (args.TrySpace());
            args.Expect((byte)')', ")");
        }
        else
        {
            patterns.Add(Pattern(args, utf8));
        }

        if (!lsub && args.TrySpace())
        {
            if (!args.TryKeyword("RETURN"u8))
            {
                throw ImapCommandException.Syntax("Expected RETURN");
            }

            args.Space();
            args.List(() =>
            {
                var option = args.Atom().ToUpperInvariant();
                switch (option)
                {
                    case "SUBSCRIBED":
                        returnSubscribed = true;
                        break;
                    case "CHILDREN":
                        returnChildren = true;
                        break;
                    case "SPECIAL-USE":
                        returnSpecialUse = true;
                        break;
                    case "STATUS":
                        args.Space();
                        statusItems = [];
                        args.List(() => statusItems.Add(args.Atom().ToUpperInvariant()));
                        break;
                    default:
                        throw ImapCommandException.Syntax("Unknown LIST return option " + option);
                }
            });
        }

        args.RequireEnd();
        var account = session.RequireAccount();
        var w = session.Writer;
        var keyword = lsub ? "LSUB" : "LIST";
        if (patterns is [""])
        {
            // RFC 9051 §6.3.9: an empty pattern asks for the separator and the reference's root.
            w.Raw("* "u8).Ascii(keyword).Raw(" (\\Noselect) \"/\" \"\""u8).Line();
            return;
        }

        var mailboxes = await account.ListMailboxesAsync();
        var byName = mailboxes.ToDictionary(m => m.Name, StringComparer.Ordinal);
        var subscriptions = new HashSet<string>(await account.ListSubscriptionsAsync(), StringComparer.Ordinal);
        var matchers = patterns.Select(p => Matcher(reference + p)).ToList();
        IEnumerable<string> candidates = selectSubscribed
            ? subscriptions.Select(MailboxName.Normalize)
            : mailboxes.Select(m => m.Name);
        foreach (var name in candidates.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (!matchers.Any(m => m.IsMatch(name)))
            {
                continue;
            }

            byName.TryGetValue(name, out var mailbox);
            if (selectSpecialUse && (mailbox is null || mailbox.SpecialUse == SpecialUse.None))
            {
                continue;
            }

            var attributes = new List<string>();
            if (mailbox is null)
            {
                attributes.Add("\\NonExistent");
            }
            else if (returnChildren)
            {
                var prefix = name + MailboxName.Separator;
                attributes.Add(mailboxes.Any(m => m.Name.StartsWith(prefix, StringComparison.Ordinal)) ? "\\HasChildren" : "\\HasNoChildren");
            }

            if ((returnSubscribed || selectSubscribed) && !lsub && subscriptions.Contains(name))
            {
                attributes.Add("\\Subscribed");
            }

            if (mailbox is not null && (returnSpecialUse || !selectSubscribed))
            {
                attributes.AddRange(SpecialUses.Format(mailbox.SpecialUse));
            }

            w.Raw("* "u8).Ascii(keyword).Raw(" ("u8).Ascii(string.Join(' ', attributes)).Raw(") \"/\" "u8).Mailbox(name, utf8).Line();
            if (statusItems is not null && mailbox is not null)
            {
                await StatusCommand.WriteAsync(session, mailbox, statusItems);
            }
        }
    }

    /// <summary>A <c>list-mailbox</c>: an astring that may also hold <c>%</c> and <c>*</c>.</summary>
    private static string Pattern(ArgumentReader args, bool utf8)
    {
        if (args.Peek() is '"' or '{' or '~')
        {
            return Decode(args.StringBytes(), utf8);
        }

        var start = args.Position;
        var rest = args.Remaining;
        var length = 0;
        while (length < rest.Length && (ArgumentReader.IsAtomChar(rest[length]) || rest[length] is (byte)'%' or (byte)'*' or (byte)']'))
        {
            length++;
        }

        if (length == 0)
        {
            throw ImapCommandException.Syntax("Expected a mailbox pattern");
        }

        args.Position = start + length;
        return Decode(rest[..length].ToArray(), utf8);
    }

    private static string Decode(byte[] bytes, bool utf8)
    {
        var text = ArgumentReader.Decode(bytes);
        if (!utf8)
        {
            text = ModifiedUtf7.TryDecode(text, out var decoded) ? decoded : throw ImapCommandException.Syntax("Pattern is not valid modified UTF-7");
        }

        return text;
    }

    /// <summary>RFC 9051 §6.3.9 wildcards: <c>*</c> matches anything, <c>%</c> anything but the separator. The
    /// regex engine does not backtrack, so no pattern can make matching slow.</summary>
    private static Regex Matcher(string pattern)
    {
        var inboxFirst = pattern.Length >= 5 && pattern.StartsWith("INBOX", StringComparison.OrdinalIgnoreCase) && (pattern.Length == 5 || pattern[5] is '/' or '*' or '%');
        var text = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (inboxFirst && i == 0)
            {
                text.Append("INBOX");
                i += 4;
                continue;
            }

            text.Append(pattern[i] switch
            {
                '*' => ".*",
                '%' => "[^/]*",
                var c => Regex.Escape(c.ToString()),
            });
        }

        return new Regex(text.Append('$').ToString(), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
    }
}
