using System.Globalization;
using Rampart.Imap.Protocol;
using Rampart.Imap.Session;
using Rampart.Store.Model;
using Rampart.Store.Search;

namespace Rampart.Imap.Commands.Selected;

/// <summary>SEARCH evaluates criteria in the store. Answers <c>* SEARCH</c> for rev1 clients, <c>* ESEARCH</c>
/// with RETURN options (MIN MAX ALL COUNT SAVE) or under IMAP4rev2; SAVE keeps the result for <c>$</c>.</summary>
/// <remarks>RFC 9051 §6.4.4 (RFC 3501 §6.4.4), RFC 4731 (ESEARCH), RFC 5182 (SEARCHRES), RFC 7162 §3.1.5.
/// States: Selected.</remarks>
internal static class SearchCommand
{
    public static CommandDefinition Definition { get; } = new("SEARCH", SessionState.Selected, "RFC 9051 §6.4.4", ExecuteAsync, DefersExpunge: true);

    public static CommandDefinition UidDefinition { get; } = new("UID SEARCH", SessionState.Selected, "RFC 9051 §6.4.9", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        var args = command.Arguments;
        var view = session.RequireSelected();
        args.Space();
        HashSet<string>? returns = null;
        if (args.TryKeyword("RETURN"u8))
        {
            args.Space();
            returns = [];
            args.List(() => returns.Add(args.Atom().ToUpperInvariant()));
            if (returns.Except(["MIN", "MAX", "ALL", "COUNT", "SAVE"]).Any())
            {
                throw ImapCommandException.Syntax("Unknown RETURN option");
            }

            args.Space();
        }

        Charset(args);
        var criteria = new SearchCriteria(args, view, command.IsUid);
        var key = criteria.ParseAll();
        args.RequireEnd();
        if (criteria.UsedModSeq)
        {
            // RFC 7162 §3.1: SEARCH with the MODSEQ criterion is a CONDSTORE enabling command.
            session.CondStore = true;
        }

        var matches = await RunAsync(session, view, key);
        var w = session.Writer;
        var modSeq = criteria.UsedModSeq && matches.Count > 0
            ? (await session.RequireAccount().FetchAsync(view.MailboxId, UidSet.FromRanges(matches.Select(u => (u, u))))).Max(m => m.ModSeq)
            : 0UL;
        if (returns is null && !session.Rev2)
        {
            w.Raw("* SEARCH"u8);
            foreach (var uid in matches)
            {
                w.Space().Number(command.IsUid ? uid : (ulong)view.SequenceOf(uid));
            }

            if (modSeq > 0)
            {
                w.Raw(" (MODSEQ "u8).Number(modSeq).Raw(")"u8);
            }

            w.Line();
            return;
        }

        returns ??= [];
        if (returns.Count == 0)
        {
            returns.Add("ALL");
        }

        if (returns.Contains("SAVE"))
        {
            view.SavedResult = UidSet.FromRanges(matches.Select(u => (u, u)));
            if (returns.Count == 1)
            {
                return; // RFC 5182 §2.1: SAVE alone returns no ESEARCH.
            }
        }

        WriteEsearch(w, command.Tag, command.IsUid, view, matches, returns, modSeq);
    }

    public static void Charset(ArgumentReader args)
    {
        if (args.TryKeyword("CHARSET"u8))
        {
            args.Space();
            var charset = args.Astring().ToUpperInvariant();
            if (charset is not ("UTF-8" or "US-ASCII"))
            {
                throw ImapCommandException.No("BADCHARSET (UTF-8 US-ASCII)", "Unsupported charset");
            }

            args.Space();
        }
    }

    /// <summary>Runs the criteria and keeps only messages the client knows, ascending by UID.</summary>
    public static async Task<List<uint>> RunAsync(ImapSession session, SelectedMailboxView view, SearchKey key)
    {
        var found = await session.RequireAccount().SearchAsync(view.MailboxId, key);
        return found.Where(u => view.SequenceOf(u) > 0).ToList();
    }

    private static void WriteEsearch(ResponseWriter w, string tag, bool byUid, SelectedMailboxView view, List<uint> matches, HashSet<string> returns, ulong modSeq)
    {
        var numbers = matches.Select(u => byUid ? u : (uint)view.SequenceOf(u)).ToList();
        w.Raw("* ESEARCH (TAG "u8).String(tag).Raw(")"u8);
        if (byUid)
        {
            w.Raw(" UID"u8);
        }

        if (numbers.Count > 0)
        {
            if (returns.Contains("MIN"))
            {
                w.Raw(" MIN "u8).Number(numbers.Min());
            }

            if (returns.Contains("MAX"))
            {
                w.Raw(" MAX "u8).Number(numbers.Max());
            }

            if (returns.Contains("ALL"))
            {
                w.Raw(" ALL "u8).Ascii(UidSet.FromRanges(numbers.Select(n => (n, n))).ToString());
            }
        }

        if (returns.Contains("COUNT"))
        {
            w.Raw(" COUNT "u8).Ascii(numbers.Count.ToString(CultureInfo.InvariantCulture));
        }

        if (modSeq > 0)
        {
            w.Raw(" MODSEQ "u8).Number(modSeq);
        }

        w.Line();
    }
}
