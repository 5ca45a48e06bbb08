using System.Buffers;
using Rampart.Pop3.Protocol;
using Rampart.Store;
using Rampart.Store.Model;

namespace Rampart.Pop3.Maildrop;

/// <summary>
/// The maildrop of one POP3 session: the account's INBOX as it was at login. Message numbers stay fixed for the
/// session (RFC 1939 §5); mail that arrives later is seen at the next login. Deletions are marks until
/// <see cref="CommitAsync"/> (the UPDATE state) applies them through the store, so IMAP sessions see them as
/// expunges, and a session that ends any other way changes nothing.
/// </summary>
public sealed class MaildropSnapshot : IAsyncDisposable
{
    private readonly IAccountStore _store;
    private readonly IDisposable _lock;
    private readonly MaildropMessage[] _messages;

    private const int CountChunkSize = 64 * 1024;

    private MaildropSnapshot(IAccountStore store, IDisposable maildropLock, MailboxInfo inbox, MaildropMessage[] messages)
    {
        _store = store;
        _lock = maildropLock;
        Inbox = inbox;
        _messages = messages;
    }

    /// <summary>The INBOX as it was read at login.</summary>
    public MailboxInfo Inbox { get; }

    /// <summary>Every message of the snapshot, deleted or not, by number − 1.</summary>
    public IReadOnlyList<MaildropMessage> Messages => _messages;

    /// <summary>The messages not marked deleted, in number order.</summary>
    public IEnumerable<MaildropMessage> Live => _messages.Where(m => !m.Deleted);

    /// <summary>
    /// Opens the account and reads its INBOX. The caller holds <paramref name="maildropLock"/>; the snapshot releases
    /// it when disposed, also when this method fails.
    /// </summary>
    public static async Task<MaildropSnapshot> OpenAsync(IMailStore store, string accountName, IDisposable maildropLock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(maildropLock);
        IAccountStore? account = null;
        try
        {
            account = await store.OpenAccountAsync(accountName, cancellationToken);
            var inbox = await account.GetMailboxAsync("INBOX", cancellationToken)
                ?? throw new StoreException(StoreError.NotFound, "the account has no INBOX");
            var summaries = inbox.Messages == 0 ? [] : await account.FetchAsync(inbox.Id, UidSet.All, cancellationToken: cancellationToken);
            var messages = new MaildropMessage[summaries.Count];
            for (var i = 0; i < messages.Length; i++)
            {
                messages[i] = new MaildropMessage(i + 1, inbox.UidValidity, summaries[i]);
            }

            return new MaildropSnapshot(account, maildropLock, inbox, messages);
        }
        catch
        {
            if (account is not null)
            {
                await account.DisposeAsync();
            }

            maildropLock.Dispose();
            throw;
        }
    }

    /// <summary>The store view of the account, for reading message bytes.</summary>
    public IAccountStore Store => _store;

    /// <summary>Message <paramref name="number"/> when it exists and is not marked deleted (RFC 1939 §5), else null.</summary>
    public MaildropMessage? Find(int number) =>
        number >= 1 && number <= _messages.Length && !_messages[number - 1].Deleted ? _messages[number - 1] : null;

    /// <summary>
    /// The octets RETR sends for <paramref name="message"/> (before byte-stuffing, without the terminator, RFC 1939 §5).
    /// The store counted them at delivery; a message stored before it did is counted here once per session by
    /// streaming it through the encoder RETR uses, so the size and what RETR sends cannot disagree.
    /// </summary>
    public ValueTask<long> WireSizeAsync(MaildropMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.WireSize is { } size ? ValueTask.FromResult(size) : CountAsync(message, cancellationToken);
    }

    private async ValueTask<long> CountAsync(MaildropMessage message, CancellationToken cancellationToken)
    {
        var encoder = new MessageEncoder(dotStuff: false);
        var buffer = ArrayPool<byte>.Shared.Rent(CountChunkSize);
        try
        {
            await using var stream = await _store.OpenMessageAsync(Inbox.Id, message.Summary, cancellationToken);
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, CountChunkSize), cancellationToken)) > 0)
            {
                encoder.Encode(buffer.AsSpan(0, read), null);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        encoder.Finish(null);
        message.WireSize = encoder.Written;
        return encoder.Written;
    }

    /// <summary>RSET: unmarks every message (RFC 1939 §5).</summary>
    public void Reset()
    {
        foreach (var message in _messages)
        {
            message.Deleted = false;
        }
    }

    /// <summary>
    /// The UPDATE state (RFC 1939 §6): sets \Seen on the messages retrieved, then removes the messages marked
    /// deleted, and those the retention policy removes, with one \Deleted store and one UID EXPUNGE limited to
    /// them (messages another client flagged \Deleted are left alone).
    /// </summary>
    /// <returns>How many messages were removed.</returns>
    public async Task<int> CommitAsync(Pop3RetentionOptions retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retention);
        var remove = _messages.Where(m => m.Deleted || Expires(m, retention, now)).Select(m => m.Summary.Uid).ToArray();
        var seen = _messages
            .Where(m => m.Retrieved && !m.Summary.Flags.Has(SystemFlags.Seen) && !remove.Contains(m.Summary.Uid))
            .Select(m => m.Summary.Uid)
            .ToArray();
        if (seen.Length > 0)
        {
            await _store.StoreFlagsAsync(Inbox.Id, UidSet.Of(seen), new FlagChange(FlagOperation.Add, new MessageFlags(SystemFlags.Seen, [])), cancellationToken: cancellationToken);
        }

        if (remove.Length == 0)
        {
            return 0;
        }

        var set = UidSet.Of(remove);
        await _store.StoreFlagsAsync(Inbox.Id, set, new FlagChange(FlagOperation.Add, new MessageFlags(SystemFlags.Deleted, [])), cancellationToken: cancellationToken);
        var result = await _store.ExpungeAsync(Inbox.Id, set, cancellationToken);
        return result.Uids.Count;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _store.DisposeAsync();
        }
        finally
        {
            _lock.Dispose();
        }
    }

    private static bool Expires(MaildropMessage message, Pop3RetentionOptions retention, DateTimeOffset now) => retention.Mode switch
    {
        Pop3RetentionMode.DeleteAfterDownload => message.Retrieved,
        // Downloaded (now or in an earlier session, which left \Seen) and older than the period. The age is
        // counted from arrival, which is never later than the download, so a message can go up to that much
        // sooner than N days after its download.
        Pop3RetentionMode.KeepDays => (message.Retrieved || message.Summary.Flags.Has(SystemFlags.Seen))
            && message.Summary.SaveDate < now.AddDays(-retention.Days),
        _ => false,
    };
}
