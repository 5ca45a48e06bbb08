namespace Rampart.Store.Model;

/// <summary>Where an appended or delivered message landed (RFC 4315 APPENDUID).</summary>
public sealed record AppendResult(long MailboxId, uint UidValidity, uint Uid, ulong ModSeq, string BlobId, long Size);

/// <summary>The UID mapping of COPY/MOVE (RFC 4315 COPYUID): <c>SourceUids[i]</c> became <c>TargetUids[i]</c>.</summary>
public sealed record CopyResult(long TargetMailboxId, uint TargetUidValidity, IReadOnlyList<uint> SourceUids, IReadOnlyList<uint> TargetUids);

/// <summary>What STORE did (RFC 7162 §3.1.3): messages changed with their new MODSEQ and flags, and those skipped because UNCHANGEDSINCE failed.</summary>
public sealed record StoreResult(IReadOnlyList<StoredFlags> Changed, IReadOnlyList<uint> Modified);

/// <summary>One message's flags after a STORE.</summary>
public sealed record StoredFlags(uint Uid, ulong ModSeq, MessageFlags Flags);

/// <summary>UIDs expunged and the MODSEQ the expunge was recorded at.</summary>
public sealed record ExpungeResult(IReadOnlyList<uint> Uids, ulong ModSeq);

/// <summary>RFC 9208 quota usage: storage in octets and message count, with limits (null = unlimited).</summary>
public sealed record QuotaUsage(long StorageUsed, long? StorageLimit, long MessagesUsed, long? MessageLimit);

/// <summary>One recipient of a delivery: the account, the mailbox (null = INBOX) and the initial flags.</summary>
public sealed record DeliveryTarget(string Account, string? Mailbox, MessageFlags Flags);

/// <summary>The outcome of a delivery for one target: the append result, or the reason it failed.</summary>
public sealed record DeliveryOutcome(DeliveryTarget Target, AppendResult? Result, StoreError? Error);
