using Rampart.Imap.Protocol;
using Rampart.Imap.Rendering;
using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Selected;

/// <summary>SORT orders the messages a search finds by RFC 5256 keys (and RFC 5957 DISPLAYFROM/DISPLAYTO).</summary>
/// <remarks>RFC 5256 §3; RFC 5957. States: Selected.</remarks>
internal static class SortCommand
{
    /// <summary>Most sort criteria in one command. Default 20: there are nine keys, each once, with REVERSE.</summary>
    private const int MaxCriteria = 20;

    public static CommandDefinition Definition { get; } = new("SORT", SessionState.Selected, "RFC 5256 §3", ExecuteSortAsync, DefersExpunge: true);

    public static CommandDefinition UidDefinition { get; } = new("UID SORT", SessionState.Selected, "RFC 5256 §3", ExecuteSortAsync);

    private static async Task ExecuteSortAsync(ImapSession session, ImapCommand command)
    {
        var args = command.Arguments;
        var view = session.RequireSelected();
        args.Space();
        var criteria = new List<SortCriterion>();
        var reverse = false;
        args.List(() =>
        {
            var name = args.Atom().ToUpperInvariant();
            if (name == "REVERSE")
            {
                reverse = true;
                args.Space();
                name = args.Atom().ToUpperInvariant();
            }

            if (criteria.Count >= MaxCriteria)
            {
                throw ImapCommandException.Syntax("Too many sort criteria");
            }

            criteria.Add(new SortCriterion(name switch
            {
                "ARRIVAL" => SortKey.Arrival,
                "CC" => SortKey.Cc,
                "DATE" => SortKey.Date,
                "FROM" => SortKey.From,
                "SIZE" => SortKey.Size,
                "SUBJECT" => SortKey.Subject,
                "TO" => SortKey.To,
                "DISPLAYFROM" => SortKey.DisplayFrom,
                "DISPLAYTO" => SortKey.DisplayTo,
                _ => throw ImapCommandException.Syntax("Unknown sort key " + name),
            }, reverse));
            reverse = false;
        });
        args.Space();
        var items = await ItemsAsync(session, view, args, command.IsUid);
        var sorted = MessageSorter.Sort(items, criteria);
        var w = session.Writer.Raw("* SORT"u8);
        foreach (var item in sorted)
        {
            w.Space().Number(command.IsUid ? item.Uid : item.SequenceNumber);
        }

        w.Line();
    }

    /// <summary>Parses <c>charset SP search-criteria</c> (the charset is mandatory here) and loads the sort fields
    /// (shared with THREAD).</summary>
    internal static async Task<List<SortItem>> ItemsAsync(ImapSession session, SelectedMailboxView view, ArgumentReader args, bool byUid)
    {
        var charset = args.Astring().ToUpperInvariant();
        if (charset is not ("UTF-8" or "US-ASCII"))
        {
            throw ImapCommandException.No("BADCHARSET (UTF-8 US-ASCII)", "Unsupported charset");
        }

        args.Space();
        var key = new SearchCriteria(args, view, byUid).ParseAll();
        args.RequireEnd();
        var matches = await SearchCommand.RunAsync(session, view, key);
        var account = session.RequireAccount();
        var items = new List<SortItem>(matches.Count);
        for (var start = 0; start < matches.Count; start += 500)
        {
            var batch = matches.GetRange(start, Math.Min(500, matches.Count - start));
            foreach (var summary in await account.FetchAsync(view.MailboxId, Rampart.Store.Model.UidSet.FromRanges(batch.Select(u => (u, u)))))
            {
                var metadata = await account.GetMetadataAsync(view.MailboxId, summary.Uid);
                items.Add(new SortItem(summary.Uid, (uint)view.SequenceOf(summary.Uid), metadata.Fields, summary.Size, summary.InternalDate));
            }
        }

        return items;
    }
}
