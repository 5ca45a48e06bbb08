using Rampart.Imap.Protocol;
using Rampart.Imap.Session;
using Rampart.Store;
using Rampart.Store.Model;

namespace Rampart.Imap.Commands.Selected;

/// <summary>COPY and MOVE messages to another mailbox, answered with COPYUID; a missing target gets
/// <c>NO [TRYCREATE]</c>. MOVE reports the source's expunges before the tagged OK (RFC 6851 §3.3).</summary>
/// <remarks>RFC 9051 §6.4.7, §6.4.8 (RFC 3501 §6.4.7, RFC 6851), RFC 4315 §3. States: Selected.</remarks>
internal static class CopyCommand
{
    public static CommandDefinition Definition { get; } = new("COPY", SessionState.Selected, "RFC 9051 §6.4.7", (s, c) => ExecuteAsync(s, c, move: false));

    public static CommandDefinition UidDefinition { get; } = new("UID COPY", SessionState.Selected, "RFC 9051 §6.4.9", (s, c) => ExecuteAsync(s, c, move: false));

    public static CommandDefinition MoveDefinition { get; } = new("MOVE", SessionState.Selected, "RFC 9051 §6.4.8", (s, c) => ExecuteAsync(s, c, move: true));

    public static CommandDefinition UidMoveDefinition { get; } = new("UID MOVE", SessionState.Selected, "RFC 9051 §6.4.9", (s, c) => ExecuteAsync(s, c, move: true));

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command, bool move)
    {
        var args = command.Arguments;
        var view = session.RequireSelected();
        args.Space();
        var set = args.SequenceSet();
        args.Space();
        var target = args.Mailbox(session.Utf8Names);
        args.RequireEnd();
        if (move && view.ReadOnly)
        {
            throw ImapCommandException.No("READ-ONLY", "Mailbox is read-only");
        }

        var known = view.Known(view.Resolve(set, command.IsUid));
        var account = session.RequireAccount();
        var targetInfo = await account.GetMailboxAsync(target) ?? throw ImapCommandException.No("TRYCREATE", "No such mailbox");
        if (known.Count == 0)
        {
            return;
        }

        var uids = UidSet.FromRanges(known.Select(u => (u, u)));
        CopyResult result;
        try
        {
            result = move ? await account.MoveAsync(view.MailboxId, uids, target) : await account.CopyAsync(view.MailboxId, uids, target);
        }
        catch (StoreException e) when (e.Error == StoreError.NotFound)
        {
            throw ImapCommandException.No("TRYCREATE", "No such mailbox");
        }

        if (result.SourceUids.Count == 0)
        {
            return;
        }

        var code = FormattableString.Invariant($"COPYUID {result.TargetUidValidity} {UidSet.FromRanges(result.SourceUids.Select(u => (u, u)))} {UidSet.FromRanges(result.TargetUids.Select(u => (u, u)))}");
        if (targetInfo.Id == view.MailboxId)
        {
            foreach (var uid in result.TargetUids)
            {
                view.NoteAdded(uid);
            }
        }

        if (move)
        {
            // RFC 6851 §4.3: COPYUID goes in an untagged OK before the expunges.
            session.Writer.Untagged("OK [" + code + "] Moved");
            view.Apply(new Rampart.Store.Changes.MessagesExpunged(view.MailboxId, result.SourceUids, 0));
        }
        else
        {
            command.OkCode = code;
        }
    }
}
