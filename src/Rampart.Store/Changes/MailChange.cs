using Rampart.Store.Model;

namespace Rampart.Store.Changes;

/// <summary>One change in an account, published on its change feed in commit order.</summary>
public abstract record MailChange(long MailboxId);

/// <summary>A message was appended, delivered, copied or moved into a mailbox.</summary>
public sealed record MessageAdded(long MailboxId, uint Uid, ulong ModSeq) : MailChange(MailboxId);

/// <summary>A message's flags changed.</summary>
public sealed record FlagsChanged(long MailboxId, uint Uid, ulong ModSeq, MessageFlags Flags) : MailChange(MailboxId);

/// <summary>Messages were expunged (or moved away) at this MODSEQ.</summary>
public sealed record MessagesExpunged(long MailboxId, IReadOnlyList<uint> Uids, ulong ModSeq) : MailChange(MailboxId);

/// <summary>A mailbox was created.</summary>
public sealed record MailboxCreated(long MailboxId, string Name) : MailChange(MailboxId);

/// <summary>A mailbox was renamed (its children get their own events).</summary>
public sealed record MailboxRenamed(long MailboxId, string OldName, string NewName) : MailChange(MailboxId);

/// <summary>A mailbox was deleted.</summary>
public sealed record MailboxDeleted(long MailboxId, string Name) : MailChange(MailboxId);

/// <summary>A mailbox name was subscribed or unsubscribed.</summary>
public sealed record SubscriptionChanged(long MailboxId, string Name, bool Subscribed) : MailChange(MailboxId);
