using Rampart.Imap.Protocol;
using Rampart.Imap.Session;
using Rampart.Store.Model;
using Rampart.Store.Search;

namespace Rampart.Imap.Commands.Selected;

/// <summary>Parses RFC 9051 §6.4.4 search keys (with RFC 3501's, RFC 7162 MODSEQ, RFC 5032 YOUNGER/OLDER,
/// RFC 8514 SAVED*, RFC 8474 EMAILID/THREADID) into the store's <see cref="SearchKey"/> tree. Sequence sets and
/// <c>$</c> become UID sets through the view.</summary>
internal sealed class SearchCriteria
{
    /// <summary>Deepest nesting of parentheses, NOT and OR. Default 100: real clients nest a handful of levels;
    /// deeper trees only cost stack and time (SECURITY.md M08).</summary>
    public const int MaxDepth = 100;

    private static readonly SearchKey Nothing = new NotKey(SearchKey.All);
    private readonly ArgumentReader _args;
    private readonly SelectedMailboxView _view;
    private readonly bool _byUid;

    public SearchCriteria(ArgumentReader args, SelectedMailboxView view, bool byUid)
    {
        _args = args;
        _view = view;
        _byUid = byUid;
    }

    /// <summary>True when a MODSEQ key was used: the result then carries the highest MODSEQ (RFC 7162 §3.1.5).</summary>
    public bool UsedModSeq { get; private set; }

    /// <summary>Reads keys up to the end of the command (or of a parenthesized list).</summary>
    public SearchKey ParseAll()
    {
        var keys = new List<SearchKey> { Parse(0) };
        while (_args.TrySpace())
        {
            keys.Add(Parse(0));
        }

        return keys.Count == 1 ? keys[0] : new AndKey(keys);
    }

    private SearchKey Parse(int depth)
    {
        if (depth > MaxDepth)
        {
            throw ImapCommandException.Syntax("Search criteria nested too deeply");
        }

        var a = _args;
        if (a.TryOpenList())
        {
            var keys = new List<SearchKey> { Parse(depth + 1) };
            while (a.TrySpace())
            {
                keys.Add(Parse(depth + 1));
            }

            a.Expect((byte)')', ")");
            return keys.Count == 1 ? keys[0] : new AndKey(keys);
        }

        if (a.Peek() is (>= '0' and <= '9') or '*' or '$')
        {
            return new UidKey(_view.Resolve(a.SequenceSet(), _byUid));
        }

        var name = a.Atom().ToUpperInvariant();
        switch (name)
        {
            case "ALL":
                return SearchKey.All;
            case "ANSWERED":
                return new FlagKey(SystemFlags.Answered, true);
            case "UNANSWERED":
                return new FlagKey(SystemFlags.Answered, false);
            case "DELETED":
                return new FlagKey(SystemFlags.Deleted, true);
            case "UNDELETED":
                return new FlagKey(SystemFlags.Deleted, false);
            case "DRAFT":
                return new FlagKey(SystemFlags.Draft, true);
            case "UNDRAFT":
                return new FlagKey(SystemFlags.Draft, false);
            case "FLAGGED":
                return new FlagKey(SystemFlags.Flagged, true);
            case "UNFLAGGED":
                return new FlagKey(SystemFlags.Flagged, false);
            case "SEEN":
                return new FlagKey(SystemFlags.Seen, true);
            case "UNSEEN":
                return new FlagKey(SystemFlags.Seen, false);
            case "RECENT" or "NEW":
                // \Recent is not kept (RFC 9051 removed it): no message is recent.
                return Nothing;
            case "OLD" or "SAVEDATESUPPORTED":
                return SearchKey.All;
            case "KEYWORD" or "UNKEYWORD":
                a.Space();
                return new KeywordKey(a.Atom(), name == "KEYWORD");
            case "BCC" or "CC" or "FROM" or "SUBJECT" or "TO":
                a.Space();
                return new HeaderKey(name[0] + name[1..].ToLowerInvariant(), a.Astring());
            case "HEADER":
                a.Space();
                var field = a.Astring();
                a.Space();
                return new HeaderKey(field, a.Astring());
            case "BODY":
                a.Space();
                return new TextKey(TextScope.Body, a.Astring());
            case "TEXT":
                a.Space();
                return new TextKey(TextScope.Text, a.Astring());
            case "BEFORE" or "ON" or "SINCE":
                return Date(DateField.Internal, name);
            case "SENTBEFORE" or "SENTON" or "SENTSINCE":
                return Date(DateField.Sent, name[4..]);
            case "SAVEDBEFORE" or "SAVEDON" or "SAVEDSINCE":
                return Date(DateField.Saved, name[5..]);
            case "LARGER" or "SMALLER":
                a.Space();
                return new SizeKey(name == "LARGER", (long)a.Number64());
            case "YOUNGER" or "OLDER":
                a.Space();
                return new AgeKey(name == "YOUNGER", a.NzNumber());
            case "UID":
                a.Space();
                return new UidKey(_view.Resolve(a.SequenceSet(), byUid: true));
            case "NOT":
                a.Space();
                return new NotKey(Parse(depth + 1));
            case "OR":
                a.Space();
                var left = Parse(depth + 1);
                a.Space();
                return new OrKey(left, Parse(depth + 1));
            case "MODSEQ":
                a.Space();
                if (a.Peek() == '"')
                {
                    // RFC 7162 §3.1.5: entry-name entry-type-req, parsed and checked, then ignored as the RFC allows:
                    // per-flag MODSEQs are not kept, so the message's MODSEQ answers for every flag.
                    var entry = a.String();
                    a.Space();
                    var type = a.Atom().ToUpperInvariant();
                    a.Space();
                    if (!entry.StartsWith("/flags/", StringComparison.OrdinalIgnoreCase) || entry.Length == "/flags/".Length)
                    {
                        throw ImapCommandException.Syntax("MODSEQ entry name must be \"/flags/<flag>\"");
                    }

                    if (type is not ("PRIV" or "SHARED" or "ALL"))
                    {
                        throw ImapCommandException.Syntax("MODSEQ entry type must be priv, shared or all");
                    }
                }

                UsedModSeq = true;
                return new ModSeqKey(a.Number64());
            case "EMAILID":
                a.Space();
                return new EmailIdKey(a.Atom());
            case "THREADID":
                a.Space();
                a.Atom();
                return Nothing;
            default:
                throw ImapCommandException.Syntax("Unknown search key " + name);
        }
    }

    private DateKey Date(DateField field, string comparison)
    {
        _args.Space();
        var text = _args.Astring();
        if (!ImapDateTime.TryParseDate(text, out var date))
        {
            throw ImapCommandException.Syntax("Invalid date");
        }

        return new DateKey(field, comparison switch
        {
            "BEFORE" => DateComparison.Before,
            "ON" => DateComparison.On,
            _ => DateComparison.Since,
        }, date);
    }
}
