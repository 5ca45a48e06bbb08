using System.Collections.Concurrent;

namespace Rampart.Store.Sqlite.Accounts;

/// <summary>What this process last read of each mailbox of an account — its UID list and its message counts — kept
/// with the mailbox's HIGHESTMODSEQ at the time, and shared by every session of the account.</summary>
/// <remarks>Every change to a mailbox's messages (append, copy, flag change, expunge, INBOX rename) raises its
/// <c>highest_modseq</c> in the same transaction, whichever process commits it, and mailbox ids are never reused. So
/// an entry read in the same transaction as the mailbox row is current exactly when the row's HIGHESTMODSEQ equals
/// the entry's: a SELECT of an unchanged mailbox then costs one row read instead of reading every message.</remarks>
internal sealed class MailboxSnapshots
{
    private readonly ConcurrentDictionary<long, UidList> uids = new();
    private readonly ConcurrentDictionary<long, MessageCounts> counts = new();

    public uint[]? Uids(long mailboxId, ulong highestModSeq) =>
        uids.TryGetValue(mailboxId, out var entry) && entry.HighestModSeq == highestModSeq ? entry.Uids : null;

    public void SetUids(long mailboxId, ulong highestModSeq, uint[] list) => uids[mailboxId] = new UidList(highestModSeq, list);

    public MessageCounts? Counts(long mailboxId, ulong highestModSeq) =>
        counts.TryGetValue(mailboxId, out var entry) && entry.HighestModSeq == highestModSeq ? entry : null;

    public void SetCounts(MessageCounts entry) => counts[entry.MailboxId] = entry;

    /// <summary>Forgets a mailbox that no longer exists.</summary>
    public void Forget(long mailboxId)
    {
        uids.TryRemove(mailboxId, out _);
        counts.TryRemove(mailboxId, out _);
    }

    private sealed record UidList(ulong HighestModSeq, uint[] Uids);
}

/// <summary>A mailbox's message count, unseen count and total size at one HIGHESTMODSEQ (STATUS, LIST-STATUS).</summary>
internal sealed record MessageCounts(long MailboxId, ulong HighestModSeq, int Messages, int Unseen, long Size);
