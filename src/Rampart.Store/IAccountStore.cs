using Rampart.Store.Changes;
using Rampart.Store.Mime;
using Rampart.Store.Model;
using Rampart.Store.Search;

namespace Rampart.Store;

/// <summary>One account's mailboxes and messages, as a session sees them. Mailboxes are named by their full UTF-8
/// name with <c>/</c> as separator; "INBOX" is case-insensitive. Messages are addressed by mailbox id and UID.</summary>
public interface IAccountStore : IAsyncDisposable
{
    Account Account { get; }

    /// <summary>Subscribes to every change in this account, including those other processes make; changes arrive in commit order.</summary>
    IChangeSubscription Subscribe();

    Task<IReadOnlyList<MailboxInfo>> ListMailboxesAsync(CancellationToken cancellationToken = default);

    Task<MailboxInfo?> GetMailboxAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Creates a mailbox; missing parents are created too (RFC 9051 §6.3.4).</summary>
    Task<MailboxInfo> CreateMailboxAsync(string name, SpecialUse specialUse = SpecialUse.None, CancellationToken cancellationToken = default);

    /// <summary>Renames a mailbox and its children. Renaming INBOX moves its messages to a new mailbox and leaves INBOX empty (RFC 9051 §6.3.6).</summary>
    Task RenameMailboxAsync(string oldName, string newName, CancellationToken cancellationToken = default);

    /// <summary>Deletes a mailbox and its messages. INBOX cannot be deleted; a mailbox with children fails with HasChildren.</summary>
    Task DeleteMailboxAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Subscribes or unsubscribes a name; the name need not exist (RFC 9051 §6.3.7).</summary>
    Task SetSubscribedAsync(string name, bool subscribed, CancellationToken cancellationToken = default);

    /// <summary>Subscribed names, including those that no longer exist.</summary>
    Task<IReadOnlyList<string>> ListSubscriptionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Appends a message, streamed to the blob store; returns only when blob and metadata are durable.</summary>
    Task<AppendResult> AppendAsync(string mailbox, Stream message, MessageFlags flags, DateTimeOffset? internalDate = null, CancellationToken cancellationToken = default);

    /// <summary>Copies messages; the result maps source UIDs to new UIDs in ascending source order.</summary>
    Task<CopyResult> CopyAsync(long mailboxId, UidSet uids, string targetMailbox, CancellationToken cancellationToken = default);

    /// <summary>Moves messages atomically: copied, then expunged from the source in one transaction (RFC 6851).</summary>
    Task<CopyResult> MoveAsync(long mailboxId, UidSet uids, string targetMailbox, CancellationToken cancellationToken = default);

    /// <summary>Changes flags. With <paramref name="unchangedSince"/>, messages whose MODSEQ is greater are left alone and reported as modified (RFC 7162 §3.1.3).</summary>
    Task<StoreResult> StoreFlagsAsync(long mailboxId, UidSet uids, FlagChange change, ulong? unchangedSince = null, CancellationToken cancellationToken = default);

    /// <summary>Expunges the messages flagged \Deleted, limited to <paramref name="uids"/> when given (UID EXPUNGE, RFC 4315).</summary>
    Task<ExpungeResult> ExpungeAsync(long mailboxId, UidSet? uids = null, CancellationToken cancellationToken = default);

    /// <summary>All UIDs in the mailbox, ascending: a session's sequence-number map.</summary>
    Task<IReadOnlyList<uint>> ListUidsAsync(long mailboxId, CancellationToken cancellationToken = default);

    /// <summary>Summaries of the messages in <paramref name="uids"/>, ascending by UID; with <paramref name="changedSince"/> only those whose MODSEQ is greater.</summary>
    Task<IReadOnlyList<MessageSummary>> FetchAsync(long mailboxId, UidSet uids, ulong? changedSince = null, CancellationToken cancellationToken = default);

    /// <summary>UID, MODSEQ and flags of the messages in <paramref name="uids"/>, ascending by UID; with
    /// <paramref name="changedSince"/> only those whose MODSEQ is greater (RFC 7162 §3.1.4). What FETCH (FLAGS) and
    /// (UID FLAGS MODSEQ) need, without the rest of each summary. Messages with equal flags may share one
    /// <see cref="MessageFlags"/> instance, so a caller can format each distinct flag set once.</summary>
    async Task<IReadOnlyList<StoredFlags>> FetchFlagsAsync(long mailboxId, UidSet uids, ulong? changedSince = null, CancellationToken cancellationToken = default)
    {
        // A backend without a narrower read answers from the full summaries.
        var summaries = await FetchAsync(mailboxId, uids, changedSince, cancellationToken).ConfigureAwait(false);
        return [.. summaries.Select(m => new StoredFlags(m.Uid, m.ModSeq, m.Flags))];
    }

    /// <summary>The parsed metadata of one message, computed at delivery. A backend may leave
    /// <see cref="MessageMetadata.HeaderText"/> and <see cref="MessageMetadata.BodyText"/> empty: they feed
    /// its full-text index and are not kept twice.</summary>
    Task<MessageMetadata> GetMetadataAsync(long mailboxId, uint uid, CancellationToken cancellationToken = default);

    /// <summary>ENVELOPE, body structure and preview of the messages in <paramref name="uids"/>, ascending by UID, read
    /// together (a backend answers with one query); UIDs that do not exist are left out. FETCH uses it instead of
    /// <see cref="GetMetadataAsync"/> per message: the search texts are not read.</summary>
    async Task<IReadOnlyList<MessageStructure>> GetStructuresAsync(long mailboxId, UidSet uids, CancellationToken cancellationToken = default)
    {
        // A backend without a batched read still answers, one message at a time.
        var result = new List<MessageStructure>();
        foreach (var summary in await FetchAsync(mailboxId, uids, null, cancellationToken).ConfigureAwait(false))
        {
            var metadata = await GetMetadataAsync(mailboxId, summary.Uid, cancellationToken).ConfigureAwait(false);
            result.Add(new MessageStructure(summary.Uid, metadata.Envelope, metadata.Body, metadata.Preview));
        }

        return result;
    }

    /// <summary>Opens the raw, byte-exact message for reading (seekable).</summary>
    Task<Stream> OpenMessageAsync(long mailboxId, uint uid, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens the raw message of a summary this account's handle returned, without looking the message up again when
    /// the summary carries the backend's <see cref="MessageSummary.Content"/> reference for this account (a session
    /// reading a whole snapshot, such as a POP3 maildrop, saves a query per message); otherwise by UID, as
    /// <see cref="OpenMessageAsync(long, uint, CancellationToken)"/>. A message expunged since the summary was read
    /// opens for as long as its bytes are kept.
    /// </summary>
    /// <exception cref="StoreException">NotFound when the message (by UID) or its bytes (by reference) are gone.</exception>
    Task<Stream> OpenMessageAsync(long mailboxId, MessageSummary summary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return OpenMessageAsync(mailboxId, summary.Uid, cancellationToken);
    }

    /// <summary>Evaluates a criteria tree in the backend; returns matching UIDs ascending.</summary>
    Task<IReadOnlyList<uint>> SearchAsync(long mailboxId, SearchKey criteria, CancellationToken cancellationToken = default);

    /// <summary>UIDs expunged from the mailbox after <paramref name="modSeq"/>, ascending (QRESYNC VANISHED (EARLIER), RFC 7162 §3.2.5).</summary>
    Task<IReadOnlyList<uint>> ExpungedSinceAsync(long mailboxId, ulong modSeq, CancellationToken cancellationToken = default);

    Task<QuotaUsage> GetQuotaAsync(CancellationToken cancellationToken = default);
}
