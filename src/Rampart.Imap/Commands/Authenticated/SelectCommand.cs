using Rampart.Imap.Protocol;
using Rampart.Imap.Session;
using Rampart.Store.Model;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>SELECT opens a mailbox read-write; EXAMINE read-only. With CONDSTORE or QRESYNC parameters it also
/// enables them, and QRESYNC answers VANISHED (EARLIER) and the changed FETCHes (RFC 7162 §3.2.5).</summary>
/// <remarks>RFC 9051 §6.3.2, §6.3.3 (RFC 3501 §6.3.1, §6.3.2), RFC 7162 §3.1.8, §3.2.5. States: Authenticated, Selected.</remarks>
internal static class SelectCommand
{
    public static CommandDefinition Definition { get; } = new("SELECT", SessionState.LoggedIn, "RFC 9051 §6.3.2", (s, c) => ExecuteAsync(s, c, readOnly: false));

    public static CommandDefinition ExamineDefinition { get; } = new("EXAMINE", SessionState.LoggedIn, "RFC 9051 §6.3.3", (s, c) => ExecuteAsync(s, c, readOnly: true));

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command, bool readOnly)
    {
        var args = command.Arguments;
        args.Space();
        var name = args.Mailbox(session.Utf8Names);
        QResyncParameters? qresync = null;
        var condstore = false;
        if (args.TrySpace())
        {
            args.List(() =>
            {
                var parameter = args.Atom().ToUpperInvariant();
                if (parameter == "CONDSTORE")
                {
                    condstore = true;
                }
                else if (parameter == "QRESYNC")
                {
                    if (!session.QResync)
                    {
                        throw ImapCommandException.Syntax("QRESYNC is not enabled");
                    }

                    args.Space();
                    qresync = QResyncParameters.Parse(args);
                }
                else
                {
                    throw ImapCommandException.Syntax("Unknown SELECT parameter " + parameter);
                }
            });
        }

        args.RequireEnd();
        if (session.Selected is not null)
        {
            session.Deselect();
            if (session.Rev2 || session.QResync)
            {
                session.Writer.Untagged("OK [CLOSED] Previous mailbox closed");
            }
        }

        if (condstore)
        {
            session.CondStore = true;
        }

        var account = session.RequireAccount();
        var mailbox = await account.GetMailboxAsync(name) ?? throw ImapCommandException.No("NONEXISTENT", "No such mailbox");
        // Drain first: changes queued before this snapshot must not be applied to it.
        await session.DrainChangesAsync(CancellationToken.None);
        var uids = await account.ListUidsAsync(mailbox.Id);
        var view = new SelectedMailboxView(mailbox, uids, readOnly);
        var w = session.Writer;
        w.Untagged("FLAGS " + FlagList.Defined);
        w.Raw("* "u8).Number((ulong)view.Count).Raw(" EXISTS"u8).Line();
        if (!session.Rev2)
        {
            w.Untagged("0 RECENT");
        }

        w.Untagged("OK [PERMANENTFLAGS " + (readOnly ? "()" : FlagList.Permanent) + "] Flags permitted");
        w.Raw("* OK [UIDVALIDITY "u8).Number(mailbox.UidValidity).Raw("] UIDs valid"u8).Line();
        w.Raw("* OK [UIDNEXT "u8).Number(mailbox.UidNext).Raw("] Predicted next UID"u8).Line();
        w.Raw("* OK [HIGHESTMODSEQ "u8).Number(mailbox.HighestModSeq).Raw("] Highest"u8).Line();
        if (session.Rev2)
        {
            w.Raw("* LIST () \"/\" "u8).Mailbox(mailbox.Name, session.Utf8Names).Line();
        }

        session.Select(view);
        if (qresync is { } q && q.UidValidity == mailbox.UidValidity)
        {
            await ReportResyncAsync(session, view, q);
        }

        command.OkCode = readOnly ? "READ-ONLY" : "READ-WRITE";
        command.OkText = (readOnly ? "EXAMINE" : "SELECT") + " completed";
    }

    private static async Task ReportResyncAsync(ImapSession session, SelectedMailboxView view, QResyncParameters q)
    {
        var account = session.RequireAccount();
        var vanished = await account.ExpungedSinceAsync(view.MailboxId, q.ModSeq);
        var known = q.KnownUids is null ? null : view.Resolve(q.KnownUids, byUid: true);
        var reported = vanished.Where(u => known is null || known.Contains(u)).ToList();
        if (reported.Count > 0)
        {
            session.Writer.Raw("* VANISHED (EARLIER) "u8).Ascii(UidSet.FromRanges(reported.Select(u => (u, u))).ToString()).Line();
        }

        var changed = await account.FetchAsync(view.MailboxId, known ?? UidSet.All, q.ModSeq);
        foreach (var message in changed)
        {
            var seq = view.SequenceOf(message.Uid);
            if (seq == 0)
            {
                continue;
            }

            session.Writer.Raw("* "u8).Number((ulong)seq).Raw(" FETCH (UID "u8).Number(message.Uid)
                .Raw(" FLAGS "u8).Ascii(FlagList.Format(message.Flags))
                .Raw(" MODSEQ ("u8).Number(message.ModSeq).Raw("))"u8).Line();
            view.NoteReported(message.Uid, message.ModSeq);
        }
    }

    /// <summary>RFC 7162 §3.2.5: <c>(uidvalidity modseq [known-uids] [(seq-match)])</c>; the sequence match data is
    /// parsed and not needed, since VANISHED (EARLIER) is exact here.</summary>
    private sealed record QResyncParameters(uint UidValidity, ulong ModSeq, SequenceSet? KnownUids)
    {
        public static QResyncParameters Parse(ArgumentReader args)
        {
            args.Expect((byte)'(', "(");
            var validity = args.NzNumber();
            args.Space();
            var modSeq = args.Number64();
            SequenceSet? known = null;
            while (args.TrySpace())
            {
                if (args.TryOpenList())
                {
                    args.SequenceSet();
                    args.Space();
                    args.SequenceSet();
                    args.Expect((byte)')', ")");
                }
                else
                {
                    known = args.SequenceSet();
                }
            }

            args.Expect((byte)')', ")");
            return new QResyncParameters(validity, modSeq, known);
        }
    }
}
