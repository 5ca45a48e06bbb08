using Rampart.Imap.Protocol;
using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Selected;

/// <summary>EXPUNGE removes \Deleted messages; UID EXPUNGE only those in a UID set. Answered with EXPUNGE, or
/// VANISHED under QRESYNC, for every message gone (including those other sessions removed).</summary>
/// <remarks>RFC 9051 §6.4.3, §6.4.9 (RFC 3501 §6.4.3, RFC 4315 §2.1), RFC 7162 §3.2.10. States: Selected.</remarks>
internal static class ExpungeCommand
{
    public static CommandDefinition Definition { get; } = new("EXPUNGE", SessionState.Selected, "RFC 9051 §6.4.3", ExecuteAsync);

    public static CommandDefinition UidDefinition { get; } = new("UID EXPUNGE", SessionState.Selected, "RFC 9051 §6.4.9", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        var args = command.Arguments;
        var view = session.RequireSelected();
        Rampart.Store.Model.UidSet? uids = null;
        if (command.IsUid)
        {
            args.Space();
            uids = view.Resolve(args.SequenceSet(), byUid: true);
        }

        args.RequireEnd();
        if (view.ReadOnly)
        {
            throw ImapCommandException.No("READ-ONLY", "Mailbox is read-only");
        }

        var result = await session.RequireAccount().ExpungeAsync(view.MailboxId, uids);
        // Our own expunges become pending like anyone else's, so one code path reports them in order.
        view.Apply(new Rampart.Store.Changes.MessagesExpunged(view.MailboxId, result.Uids, result.ModSeq));
        if (session.CondStore || session.QResync)
        {
            command.OkCode = FormattableString.Invariant($"HIGHESTMODSEQ {view.HighestModSeq}");
        }
    }
}
