using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using Rampart.Store.Changes;
using Rampart.Store.Mime;
using Rampart.Store.Model;
using Rampart.Store.Search;
using Rampart.Store.Sqlite.Accounts;
using Rampart.Store.Sqlite.Naming;
using Rampart.Store.Sqlite.Search;

namespace Rampart.Store.Sqlite;

/// <summary>One session's handle on an account in the embedded store. Writes go through the account's single
/// writer (group commit); reads use pooled connections and see every committed change (WAL).</summary>
internal sealed class SqliteAccountStore : IAccountStore
{
    private readonly AccountDatabase database;
    private readonly SqliteMailStore store;

    public SqliteAccountStore(SqliteMailStore store, AccountDatabase database, Account account)
    {
        this.store = store;
        this.database = database;
        Account = account;
    }

    public Account Account { get; }

    public IChangeSubscription Subscribe() => database.Notifier.Subscribe();

    public Task<IReadOnlyList<MailboxInfo>> ListMailboxesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<MailboxInfo>>(ReadMailboxes(null));

    public Task<MailboxInfo?> GetMailboxAsync(string name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var canonical = MailboxName.Normalize(name);
        return Task.FromResult(ReadMailboxes(canonical).FirstOrDefault());
    }

    public async Task<MailboxInfo> CreateMailboxAsync(string name, SpecialUse specialUse = SpecialUse.None, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var canonical = MailboxName.Normalize(name);
        await database.WriteAsync(c => MailboxWrites.Create(c, canonical, specialUse), cancellationToken).ConfigureAwait(false);
        return ReadMailboxes(canonical).Single();
    }

    public Task RenameMailboxAsync(string oldName, string newName, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var from = MailboxName.Normalize(oldName);
        var to = MailboxName.Normalize(newName);
        return database.WriteAsync(c => { MailboxWrites.Rename(c, from, to); return true; }, cancellationToken);
    }

    public Task DeleteMailboxAsync(string name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var canonical = MailboxName.Normalize(name);
        return database.WriteAsync(c => { MailboxWrites.Delete(c, canonical); return true; }, cancellationToken);
    }

    public Task SetSubscribedAsync(string name, bool subscribed, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var canonical = MailboxName.Normalize(name);
        return database.WriteAsync(c => MailboxWrites.SetSubscribed(c, canonical, subscribed), cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListSubscriptionsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM subscriptions ORDER BY name";
        var result = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(reader.GetString(0));
        }

        return Task.FromResult<IReadOnlyList<string>>(result);
    }

    public async Task<AppendResult> AppendAsync(string mailbox, Stream message, MessageFlags flags, DateTimeOffset? internalDate = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(flags);
        var canonical = MailboxName.Normalize(mailbox);
        foreach (var keyword in flags.Keywords)
        {
            Keywords.Validate(keyword);
        }

        // Fail before reading the message when the mailbox is missing (the client then gets TRYCREATE at once).
        using (var connection = database.OpenReader())
        {
            _ = MailboxRow.ByName(connection, null, canonical) ?? throw new StoreException(StoreError.NotFound, $"No mailbox named {canonical}.");
        }

        var prepared = await store.PrepareAsync(message, cancellationToken).ConfigureAwait(false);
        var date = internalDate ?? DateTimeOffset.Now;
        var quota = store.QuotaOf(Account.Id);
        return await database.WriteAsync(
            c =>
            {
                QuotaCheck.Ensure(c, quota, prepared.Blob.Size, 1);
                return MessageWrites.Append(c, canonical, prepared, flags, date);
            },
            cancellationToken,
            blob: prepared.Blob).ConfigureAwait(false);
    }

    public Task<CopyResult> CopyAsync(long mailboxId, UidSet uids, string targetMailbox, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var target = MailboxName.Normalize(targetMailbox);
        var quota = store.QuotaOf(Account.Id);
        return database.WriteAsync(
            c =>
            {
                QuotaCheck.EnsureCopy(c, quota, mailboxId, uids);
                return MessageWrites.Copy(c, mailboxId, uids, target, move: false);
            },
            cancellationToken);
    }

    public Task<CopyResult> MoveAsync(long mailboxId, UidSet uids, string targetMailbox, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var target = MailboxName.Normalize(targetMailbox);
        return database.WriteAsync(c => MessageWrites.Copy(c, mailboxId, uids, target, move: true), cancellationToken);
    }

    public Task<StoreResult> StoreFlagsAsync(long mailboxId, UidSet uids, FlagChange change, ulong? unchangedSince = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(change);
        return database.WriteAsync(c => MessageWrites.StoreFlags(c, mailboxId, uids, change, unchangedSince), cancellationToken, flagsOnly: true);
    }

    public Task<ExpungeResult> ExpungeAsync(long mailboxId, UidSet? uids = null, CancellationToken cancellationToken = default) =>
        database.WriteAsync(c => MessageWrites.Expunge(c, mailboxId, uids), cancellationToken);

    public Task<IReadOnlyList<uint>> ListUidsAsync(long mailboxId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = database.OpenReader();
        // One snapshot for the mailbox row and its messages, so the list matches the HIGHESTMODSEQ it is cached under.
        using var transaction = connection.BeginTransaction(deferred: true);
        var box = MailboxRow.ById(connection, transaction, mailboxId) ?? throw new StoreException(StoreError.NotFound, "The mailbox no longer exists.");
        if (database.Snapshots.Uids(mailboxId, box.HighestModSeq) is { } cached)
        {
            return Task.FromResult<IReadOnlyList<uint>>(cached);
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT uid FROM messages WHERE mailbox_id = $m ORDER BY uid";
        command.Parameters.AddWithValue("$m", mailboxId);
        var uids = ReadUids(command, cancellationToken).ToArray();
        transaction.Commit();
        database.Snapshots.SetUids(mailboxId, box.HighestModSeq, uids);
        return Task.FromResult<IReadOnlyList<uint>>(uids);
    }

    public Task<IReadOnlyList<MessageSummary>> FetchAsync(long mailboxId, UidSet uids, ulong? changedSince = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(uids);
        using var connection = database.OpenReader();
        using var transaction = connection.BeginTransaction(deferred: true);
        RequireMailbox(connection, mailboxId, transaction);
        var keywords = ReadKeywords(connection, transaction, mailboxId, uids);

        var result = new List<MessageSummary>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            var sql = new StringBuilder(
                """
                SELECT m.uid, m.modseq, m.flags, m.internal_date, m.internal_offset, m.size, b.hash, m.save_date, b.email_id, b.wire_size
                FROM messages m JOIN blobs b ON b.id = m.blob_id WHERE m.mailbox_id = $m AND
                """);
            sql.Append(' ');
            FinishMessageQuery(command, sql, mailboxId, uids, changedSince);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var uid = (uint)reader.GetInt64(0);
                var offset = TimeSpan.FromMinutes(reader.GetInt32(4));
                result.Add(new MessageSummary(
                    uid,
                    (ulong)reader.GetInt64(1),
                    Keywords.Flags((SystemFlags)reader.GetInt32(2), keywords.TryGetValue(uid, out var list) ? list : []),
                    DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(3)).ToOffset(offset),
                    reader.GetInt64(5),
                    reader.GetString(6),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                    reader.GetString(8))
                {
                    // NULL for blobs stored before the column existed: the reader then counts it itself.
                    WireSize = reader.IsDBNull(9) ? null : reader.GetInt64(9),
                    Content = new BlobReference(database, reader.GetString(6)),
                });
            }
        }

        transaction.Commit();
        return Task.FromResult<IReadOnlyList<MessageSummary>>(result);
    }

    public Task<MessageMetadata> GetMetadataAsync(long mailboxId, uint uid, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT b.metadata FROM messages m JOIN blobs b ON b.id = m.blob_id WHERE m.mailbox_id = $m AND m.uid = $u";
        command.Parameters.AddWithValue("$m", mailboxId);
        command.Parameters.AddWithValue("$u", (long)uid);
        var bytes = command.ExecuteScalar() as byte[] ?? throw new StoreException(StoreError.NotFound, "No such message.");
        return Task.FromResult(MessageMetadataSerializer.Deserialize(bytes));
    }

    public Task<IReadOnlyList<StoredFlags>> FetchFlagsAsync(long mailboxId, UidSet uids, ulong? changedSince = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(uids);
        using var connection = database.OpenReader();
        using var transaction = connection.BeginTransaction(deferred: true);
        RequireMailbox(connection, mailboxId, transaction);
        var keywords = ReadKeywords(connection, transaction, mailboxId, uids);
        var flagSets = new FlagSetInterner();
        var result = new List<StoredFlags>();
        using (var command = connection.CreateCommand())
        {
            // The primary key (mailbox_id, uid) covers the row: no blob, no metadata.
            command.Transaction = transaction;
            var sql = new StringBuilder("SELECT m.uid, m.modseq, m.flags FROM messages m WHERE m.mailbox_id = $m AND ");
            FinishMessageQuery(command, sql, mailboxId, uids, changedSince);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var uid = (uint)reader.GetInt64(0);
                var system = (SystemFlags)reader.GetInt32(2);
                var flags = keywords.TryGetValue(uid, out var list) ? flagSets.Get(system, list) : flagSets.Get(system);
                result.Add(new StoredFlags(uid, (ulong)reader.GetInt64(1), flags));
            }
        }

        transaction.Commit();
        return Task.FromResult<IReadOnlyList<StoredFlags>>(result);
    }

    public Task<IReadOnlyList<MessageStructure>> GetStructuresAsync(long mailboxId, UidSet uids, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(uids);
        using var connection = database.OpenReader();
        using var transaction = connection.BeginTransaction(deferred: true);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // The compact structure only (schema step 3); a blob without one (its metadata was unreadable when the step
        // ran) falls back to the full record, which then reports the damage as before.
        var sql = new StringBuilder("SELECT m.uid, s.data, m.blob_id FROM messages m LEFT JOIN blob_structures s ON s.blob_id = m.blob_id WHERE m.mailbox_id = $m AND ");
        command.Parameters.AddWithValue("$m", mailboxId);
        UidFilter.Append(sql, command, uids, "m.uid");
        command.CommandText = sql.Append(" ORDER BY m.uid").ToString();
        var result = new List<MessageStructure>();
        var buffer = ArrayPool<byte>.Shared.Rent(4 * 1024);
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var uid = (uint)reader.GetInt64(0);
                if (reader.IsDBNull(1))
                {
                    var (e, b, p) = ReadStructureFromMetadata(connection, transaction, reader.GetInt64(2));
                    result.Add(new MessageStructure(uid, e, b, p));
                    continue;
                }

                var length = (int)reader.GetBytes(1, 0, null, 0, 0);
                if (length > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }

                reader.GetBytes(1, 0, buffer, 0, length);
                var (envelope, body, preview) = MessageStructureCodec.Decode(buffer.AsSpan(0, length));
                result.Add(new MessageStructure(uid, envelope, body, preview));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        transaction.Commit();
        return Task.FromResult<IReadOnlyList<MessageStructure>>(result);
    }

    public Task<Stream> OpenMessageAsync(long mailboxId, uint uid, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT b.hash FROM messages m JOIN blobs b ON b.id = m.blob_id WHERE m.mailbox_id = $m AND m.uid = $u";
        command.Parameters.AddWithValue("$m", mailboxId);
        command.Parameters.AddWithValue("$u", (long)uid);
        var hash = command.ExecuteScalar() as string ?? throw new StoreException(StoreError.NotFound, "No such message.");
        return Task.FromResult<Stream>(database.Blobs.Open(hash));
    }

    public Task<Stream> OpenMessageAsync(long mailboxId, MessageSummary summary, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(summary);
        // Only a reference this account's database made is opened without a lookup: anything else (another
        // account's, another store's, a summary made by the caller) goes by UID through this account's own rows.
        if (summary.Content is not BlobReference reference || !ReferenceEquals(reference.Database, database))
        {
            return OpenMessageAsync(mailboxId, summary.Uid, cancellationToken);
        }

        try
        {
            return Task.FromResult<Stream>(database.Blobs.Open(reference.Hash));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Expunged by another session and its bytes swept since the summary was read.
            throw new StoreException("No such message.", e);
        }
    }

    public async Task<IReadOnlyList<uint>> SearchAsync(long mailboxId, SearchKey criteria, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Text keys (and HEADER on an uncommon field) read the full-text index: first index what committed deliveries
        // left pending.
        if (SearchTranslator.ReadsTextIndex(criteria))
        {
            await database.CatchUpTextAsync(cancellationToken).ConfigureAwait(false);
        }

        using var connection = database.OpenReader();
        RequireMailbox(connection, mailboxId);
        using var command = connection.CreateCommand();
        SearchTranslator.Build(command, mailboxId, criteria, database.Options, DateTimeOffset.UtcNow);
        return ReadUids(command, cancellationToken);
    }

    public Task<IReadOnlyList<uint>> ExpungedSinceAsync(long mailboxId, ulong modSeq, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = database.OpenReader();
        RequireMailbox(connection, mailboxId);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT uid FROM expunged WHERE mailbox_id = $m AND modseq > $s ORDER BY uid";
        command.Parameters.AddWithValue("$m", mailboxId);
        command.Parameters.AddWithValue("$s", (long)Math.Min(modSeq, long.MaxValue));
        return Task.FromResult<IReadOnlyList<uint>>(ReadUids(command, cancellationToken));
    }

    public Task<QuotaUsage> GetQuotaAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(size), 0), coalesce(sum(messages), 0) FROM mailbox_counts";
        using var reader = command.ExecuteReader();
        reader.Read();
        var limits = store.QuotaOf(Account.Id);
        return Task.FromResult(new QuotaUsage(reader.GetInt64(0), limits.StorageOctets, reader.GetInt64(1), limits.Messages));
    }

    /// <summary>A session handle owns nothing: the account database lives as long as the store.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The content reference of this backend (<see cref="ContentReference"/>): the account database that read
    /// the summary, and the blob's hash. Private, so nothing outside this class can make one.</summary>
    private sealed record BlobReference(AccountDatabase Database, string Hash) : ContentReference
    {
        // The database is identity, not data: kept out of the text (a summary's ToString shows the hash).
        public override string ToString() => "blob " + Hash;
    }

    private static void RequireMailbox(SqliteConnection connection, long mailboxId, SqliteTransaction? transaction = null)
    {
        _ = MailboxRow.ById(connection, transaction, mailboxId) ?? throw new StoreException(StoreError.NotFound, "The mailbox no longer exists.");
    }

    /// <summary>Completes a query over <c>messages m</c> whose text ends in "<c>m.mailbox_id = $m AND</c>": the UID set,
    /// CHANGEDSINCE (RFC 7162 §3.1.4) when given, in UID order.</summary>
    private static void FinishMessageQuery(SqliteCommand command, StringBuilder sql, long mailboxId, UidSet uids, ulong? changedSince)
    {
        command.Parameters.AddWithValue("$m", mailboxId);
        UidFilter.Append(sql, command, uids, "m.uid");
        if (changedSince is { } since)
        {
            sql.Append(" AND m.modseq > $since");
            command.Parameters.AddWithValue("$since", (long)Math.Min(since, long.MaxValue));
        }

        command.CommandText = sql.Append(" ORDER BY m.uid").ToString();
    }

    /// <summary>The keywords of the messages in <paramref name="uids"/> that have any, by UID.</summary>
    private static Dictionary<uint, List<string>> ReadKeywords(SqliteConnection connection, SqliteTransaction transaction, long mailboxId, UidSet uids)
    {
        var keywords = new Dictionary<uint, List<string>>();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("SELECT mk.uid, k.name FROM message_keywords mk JOIN keywords k ON k.id = mk.keyword_id WHERE mk.mailbox_id = $m AND ");
        command.Parameters.AddWithValue("$m", mailboxId);
        UidFilter.Append(sql, command, uids, "mk.uid");
        command.CommandText = sql.ToString();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var uid = (uint)reader.GetInt64(0);
            if (!keywords.TryGetValue(uid, out var list))
            {
                keywords[uid] = list = [];
            }

            list.Add(reader.GetString(1));
        }

        return keywords;
    }

    private static (Envelope Envelope, BodyPart Body, string Preview) ReadStructureFromMetadata(SqliteConnection connection, SqliteTransaction transaction, long blobId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT metadata FROM blobs WHERE id = $id";
        command.Parameters.AddWithValue("$id", blobId);
        var bytes = command.ExecuteScalar() as byte[] ?? throw new StoreException(StoreError.NotFound, "No such message.");
        return MessageMetadataSerializer.DeserializeStructure(bytes);
    }

    private static List<uint> ReadUids(SqliteCommand command, CancellationToken cancellationToken)
    {
        var result = new List<uint>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if ((result.Count & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            result.Add((uint)reader.GetInt64(0));
        }

        return result;
    }

    /// <summary>Mailbox rows with their counts; the counts of a mailbox unchanged since they were last read come from
    /// <see cref="AccountDatabase.Snapshots"/>, so SELECT and STATUS of a big mailbox do not sum every message.</summary>
    private List<MailboxInfo> ReadMailboxes(string? name)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        // The counts are kept by triggers (schema version 4), in the same snapshot as the row they belong to.
        command.CommandText =
            $"""
            SELECT b.id, b.name, b.special_use, b.uid_validity, b.uid_next, b.highest_modseq,
                   EXISTS (SELECT 1 FROM subscriptions s WHERE s.name = b.name),
                   coalesce(c.messages, 0), coalesce(c.unseen, 0), coalesce(c.size, 0)
            FROM mailboxes b LEFT JOIN mailbox_counts c ON c.mailbox_id = b.id
            {(name is null ? string.Empty : "WHERE b.name = $n")}
            ORDER BY b.name
            """;
        if (name is not null)
        {
            command.Parameters.AddWithValue("$n", name);
        }

        var result = new List<MailboxInfo>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new MailboxInfo(
                reader.GetInt64(0), reader.GetString(1), (SpecialUse)reader.GetInt32(2), reader.GetBoolean(6),
                (uint)reader.GetInt64(3), (uint)reader.GetInt64(4), (ulong)reader.GetInt64(5),
                reader.GetInt32(7), reader.GetInt32(8), reader.GetInt64(9)));
        }

        return result;
    }
}
