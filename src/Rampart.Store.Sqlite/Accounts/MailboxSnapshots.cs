using System.Collections.Concurrent;

namespace Rampart.Store.Sqlite.Accounts;

/// <summary>What this process last read of each mailbox of an account — its UID list — kept with the mailbox's
/// HIGHESTMODSEQ at the time, and shared by every session of the account. (Message counts need no cache: triggers keep
/// them in <c>mailbox_counts</c>.)</summary>
/// <remarks>Every change to a mailbox's messages (append, copy, flag change, expunge, INBOX rename) raises its
/// <c>highest_modseq</c> in the same transaction, whichever process commits it, and mailbox ids are never reused. So
/// an entry read in the same transaction as the mailbox row is current exactly when the row's HIGHESTMODSEQ equals
/// the entry's: a SELECT of an unchanged mailbox then costs one row read instead of reading every message.</remarks>
internal sealed class MailboxSnapshots
{
    private readonly ConcurrentDictionary<long, UidList> uids = new();

    public uint[]? Uids(long mailboxId, ulong highestModSeq) =>
        uids.TryGetValue(mailboxId, out var entry) && entry.HighestModSeq == highestModSeq ? entry.Uids : null;

    public void SetUids(long mailboxId, ulong highestModSeq, uint[] list) => uids[mailboxId] = new UidList(highestModSeq, list);

    /// <summary>Forgets a mailbox that no longer exists.</summary>
    public void Forget(long mailboxId)
    {
        uids.TryRemove(mailboxId, out _);
    }

    private sealed record UidList(ulong HighestModSeq, uint[] Uids);
}

