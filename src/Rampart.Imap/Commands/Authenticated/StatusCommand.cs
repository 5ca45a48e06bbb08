using Rampart.Imap.Protocol;
using Rampart.Imap.Session;
using Rampart.Store.Model;
using Rampart.Store.Search;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>STATUS reports a mailbox's counters without selecting it: MESSAGES, UIDNEXT, UIDVALIDITY, UNSEEN,
/// DELETED, SIZE, HIGHESTMODSEQ, RECENT (always 0: \Recent is not kept), APPENDLIMIT, MAILBOXID and DELETED-STORAGE.</summary>
/// <remarks>RFC 9051 §6.3.11 (RFC 3501 §6.3.10), RFC 9208 §4.4 (DELETED-STORAGE), RFC 8438 (SIZE), RFC 7162 §3.1.4, RFC 8474 §4. States: Authenticated, Selected.</remarks>
internal static class StatusCommand
{
    public static CommandDefinition Definition { get; } = new("STATUS", SessionState.LoggedIn, "RFC 9051 §6.3.11", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        var args = command.Arguments;
        args.Space();
        var name = args.Mailbox(session.Utf8Names);
        args.Space();
        var items = new List<string>();
        args.List(() => items.Add(args.Atom().ToUpperInvariant()));
        args.RequireEnd();
        var mailbox = await session.RequireAccount().GetMailboxAsync(name) ?? throw ImapCommandException.No("NONEXISTENT", "No such mailbox");
        await WriteAsync(session, mailbox, items);
    }

    public static async Task WriteAsync(ImapSession session, MailboxInfo mailbox, IReadOnlyList<string> items)
    {
        if (items.Contains("HIGHESTMODSEQ"))
        {
            // RFC 7162 §3.1: STATUS (HIGHESTMODSEQ) is a CONDSTORE enabling command.
            session.CondStore = true;
        }

        var parts = new List<string>();
        foreach (var item in items)
        {
            var value = item switch
            {
                "MESSAGES" => mailbox.Messages.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "UIDNEXT" => mailbox.UidNext.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "UIDVALIDITY" => mailbox.UidValidity.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "UNSEEN" => mailbox.Unseen.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "SIZE" => mailbox.Size.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "HIGHESTMODSEQ" => mailbox.HighestModSeq.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "RECENT" => "0",
                "APPENDLIMIT" => AppendCommand.Limit(session).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "MAILBOXID" => "(M" + mailbox.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")",
                "DELETED" => (await session.RequireAccount().SearchAsync(mailbox.Id, new FlagKey(SystemFlags.Deleted, true))).Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "DELETED-STORAGE" => (await DeletedStorageAsync(session, mailbox)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => throw ImapCommandException.Syntax("Unknown STATUS item " + item),
            };
            parts.Add(item + " " + value);
        }

        session.Writer.Raw("* STATUS "u8).Mailbox(mailbox.Name, session.Utf8Names).Raw(" ("u8).Ascii(string.Join(' ', parts)).Raw(")"u8).Line();
    }

    /// <summary>RFC 9208 §4.4.2 DELETED-STORAGE (a server with QUOTA=RES-STORAGE must accept it): the KiB an EXPUNGE of
    /// the mailbox would give back to the STORAGE quota, rounded up as GETQUOTA rounds the usage.</summary>
    private static async Task<long> DeletedStorageAsync(ImapSession session, MailboxInfo mailbox)
    {
        var account = session.RequireAccount();
        var deleted = await account.SearchAsync(mailbox.Id, new FlagKey(SystemFlags.Deleted, true));
        if (deleted.Count == 0)
        {
            return 0;
        }

        var summaries = await account.FetchAsync(mailbox.Id, UidSet.FromRanges(deleted.Select(u => (u, u))));
        return (summaries.Sum(s => s.Size) + 1023) / 1024;
    }
}
