using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Store.Model;
using Rampart.Store.Sqlite.Accounts;
using Rampart.Store.Sqlite.Blobs;
using Rampart.Store.Sqlite.Naming;
using Rampart.Store.Sqlite.Schema;

namespace Rampart.Store.Sqlite;

/// <summary>The embedded store: SQLite databases and content-addressed blob files under one data directory.</summary>
/// <remarks>
/// <para>Layout: <c>directory.db</c> (accounts, addresses, secrets); <c>accounts/&lt;id&gt;.db</c> (one per account:
/// mailboxes, messages, keywords, blob metadata, FTS5 index, expunge log, change log); <c>blobs/ab/cd/abcd…</c>
/// (message bodies named by lower-case hex SHA-256) and <c>blobs/tmp/</c> (bodies being received).</para>
/// <para>Durability: a body is fsynced (file, then directory after the rename) before any metadata refers to it, and
/// metadata is committed with <c>synchronous=FULL</c>; calls return only after the commit. A crash therefore leaves
/// at worst an orphan blob or temporary file, never a half-visible message.</para>
/// <para>Several processes may share one data directory (<c>rampart deliver</c> while <c>rampart serve</c> runs):
/// SQLite locks serialise their writes, the change log carries changes between them, and the sweep (at open and
/// <see cref="SweepAsync(CancellationToken)"/>) deletes only temporary files and unreferenced blobs older than
/// <see cref="SqliteStoreOptions.OrphanGracePeriod"/>, so it never removes a body another process has written but not
/// committed yet.</para>
/// </remarks>
public sealed partial class SqliteMailStore : IMailStore
{
    private readonly SqliteStoreOptions options;
    private readonly ILogger logger;
    private readonly string directoryConnectionString;
    private readonly string accountsDirectory;
    private readonly BlobStore blobs;
    private readonly ConcurrentDictionary<long, Lazy<AccountDatabase>> databases = new();
    private readonly Lock accountGate = new();
    private int disposed;

    private SqliteMailStore(SqliteStoreOptions options, ILogger logger, string root)
    {
        this.options = options;
        this.logger = logger;
        accountsDirectory = Path.Combine(root, "accounts");
        Directory.CreateDirectory(accountsDirectory);
        blobs = new BlobStore(root, options.Durable);
        directoryConnectionString = SqliteConnections.Build(Path.Combine(root, "directory.db"), options);
    }

    /// <summary>Opens (creating when missing) the store in <see cref="SqliteStoreOptions.DataDirectory"/>, migrates its
    /// schema and sweeps orphans.</summary>
    /// <exception cref="IOException">The data directory cannot be created, read or written; the message names the path.</exception>
    public static async Task<SqliteMailStore> OpenAsync(SqliteStoreOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SubscriberQueueCapacity, 2);
        var root = Path.GetFullPath(options.DataDirectory);
        SqliteMailStore store;
        try
        {
            Directory.CreateDirectory(root);
            store = new SqliteMailStore(options, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SqliteMailStore>(), root);
            var probe = Path.Combine(store.blobs.TempDirectory, "probe-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllBytesAsync(probe, [1], cancellationToken).ConfigureAwait(false);
            File.Delete(probe);
            using var connection = store.OpenDirectory();
            SchemaMigrator.Migrate(connection, Path.Combine(root, "directory.db"), DirectorySchema.Steps);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException)
        {
            throw new IOException($"The data directory '{root}' cannot be used: {ex.Message}", ex);
        }

        await store.SweepAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }

    public Task<Account> CreateAccountAsync(string name, IReadOnlyList<string> addresses, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AccountName.Validate(name);
        ArgumentNullException.ThrowIfNull(addresses);
        var normalized = addresses.Select(AccountName.NormalizeAddress).Distinct(StringComparer.Ordinal).ToList();
        long id;
        lock (accountGate)
        {
            using var connection = OpenDirectory();
            using var transaction = connection.BeginTransaction();
            try
            {
                using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText = "INSERT INTO accounts (name, enabled, created) VALUES ($n, 1, $c) RETURNING id";
                    command.Parameters.AddWithValue("$n", name);
                    command.Parameters.AddWithValue("$c", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                    id = (long)command.ExecuteScalar()!;
                }

                foreach (var address in normalized)
                {
                    InsertAddress(connection, transaction, id, address);
                }
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw new StoreException(StoreError.AlreadyExists, "The account name or one of its addresses is taken.");
            }

            // A file left by a crash during an earlier delete of this id cannot exist (ids are never reused), but be sure.
            DeleteDatabaseFiles(id);
            transaction.Commit();
        }

        _ = Database(id);
        return Task.FromResult(ReadAccount(id) ?? throw new StoreException(StoreError.NotFound, "The account vanished."));
    }

    public Task<Account?> FindAccountAsync(string nameOrAddress, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(nameOrAddress);
        using var connection = OpenDirectory();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id FROM accounts WHERE name = $n
            UNION ALL SELECT account_id FROM addresses WHERE address = $a
            LIMIT 1
            """;
        command.Parameters.AddWithValue("$n", nameOrAddress);
        command.Parameters.AddWithValue("$a", nameOrAddress.ToLowerInvariant());
        return Task.FromResult(command.ExecuteScalar() is long id ? ReadAccount(id) : null);
    }

    public Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var ids = new List<long>();
        using (var connection = OpenDirectory())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id FROM accounts ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        return Task.FromResult<IReadOnlyList<Account>>([.. ids.Select(ReadAccount).OfType<Account>()]);
    }

    public Task SetAccountEnabledAsync(string name, bool enabled, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenDirectory();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE accounts SET enabled = $e WHERE name = $n";
        command.Parameters.AddWithValue("$e", enabled);
        command.Parameters.AddWithValue("$n", name);
        if (command.ExecuteNonQuery() == 0)
        {
            throw NoAccount(name);
        }

        return Task.CompletedTask;
    }

    public Task AddAddressAsync(string name, string address, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var normalized = AccountName.NormalizeAddress(address);
        using var connection = OpenDirectory();
        using var transaction = connection.BeginTransaction();
        var id = AccountId(connection, transaction, name) ?? throw NoAccount(name);
        try
        {
            InsertAddress(connection, transaction, id, normalized);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new StoreException(StoreError.AlreadyExists, "The address is taken.");
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    public Task RemoveAddressAsync(string name, string address, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(address);
        using var connection = OpenDirectory();
        using var transaction = connection.BeginTransaction();
        var id = AccountId(connection, transaction, name) ?? throw NoAccount(name);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM addresses WHERE address = $a AND account_id = $i";
        command.Parameters.AddWithValue("$a", address.ToLowerInvariant());
        command.Parameters.AddWithValue("$i", id);
        if (command.ExecuteNonQuery() == 0)
        {
            throw new StoreException(StoreError.NotFound, "The account has no such address.");
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    public async Task DeleteAccountAsync(string name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long id;
        using (var connection = OpenDirectory())
        using (var transaction = connection.BeginTransaction())
        {
            id = AccountId(connection, transaction, name) ?? throw NoAccount(name);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM accounts WHERE id = $i";
            command.Parameters.AddWithValue("$i", id);
            command.ExecuteNonQuery();
            transaction.Commit();
        }

        if (databases.TryRemove(id, out var database) && database.IsValueCreated)
        {
            await database.Value.DisposeAsync().ConfigureAwait(false);
        }

        DeleteDatabaseFiles(id);
        await SweepAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<string?> GetSecretAsync(long accountId, string kind, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(kind);
        using var connection = OpenDirectory();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM secrets WHERE account_id = $i AND kind = $k";
        command.Parameters.AddWithValue("$i", accountId);
        command.Parameters.AddWithValue("$k", kind);
        return Task.FromResult(command.ExecuteScalar() as string);
    }

    public Task SetSecretAsync(long accountId, string kind, string? value, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(kind);
        using var connection = OpenDirectory();
        using var command = connection.CreateCommand();
        command.CommandText = value is null
            ? "DELETE FROM secrets WHERE account_id = $i AND kind = $k"
            : "INSERT INTO secrets (account_id, kind, value) VALUES ($i, $k, $v) ON CONFLICT (account_id, kind) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$i", accountId);
        command.Parameters.AddWithValue("$k", kind);
        command.Parameters.AddWithValue("$v", (object?)value ?? DBNull.Value);
        try
        {
            command.ExecuteNonQuery();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new StoreException(StoreError.NotFound, "No such account.");
        }

        return Task.CompletedTask;
    }

    public Task<IAccountStore> OpenAccountAsync(string name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(name);
        using var connection = OpenDirectory();
        var id = AccountId(connection, null, name) ?? throw NoAccount(name);
        var account = ReadAccount(id) ?? throw NoAccount(name);
        return Task.FromResult<IAccountStore>(new SqliteAccountStore(this, Database(id), account));
    }

    public async Task<IReadOnlyList<DeliveryOutcome>> DeliverAsync(Stream message, IReadOnlyList<DeliveryTarget> targets, DateTimeOffset? internalDate = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(targets);
        PreparedMessage prepared;
        try
        {
            prepared = await PrepareAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException ex)
        {
            return [.. targets.Select(t => new DeliveryOutcome(t, null, ex.Error))];
        }

        var date = internalDate ?? DateTimeOffset.Now;
        var outcomes = await Task.WhenAll(targets.Select(t => DeliverOneAsync(prepared, t, date, cancellationToken))).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>Deletes temporary files and blobs no account refers to, older than
    /// <see cref="SqliteStoreOptions.OrphanGracePeriod"/>; also drops each account's metadata of bodies none of its
    /// messages use any more (after EXPUNGE or DELETE). Runs at open; call it periodically.</summary>
    /// <returns>The number of files deleted.</returns>
    public Task<int> SweepAsync(CancellationToken cancellationToken = default) => SweepAsync(options.OrphanGracePeriod, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        foreach (var database in databases.Values.Where(d => d.IsValueCreated).Select(d => d.Value))
        {
            await database.DisposeAsync().ConfigureAwait(false);
            SqliteConnection.ClearPool(new SqliteConnection(database.ConnectionString));
        }

        databases.Clear();
        SqliteConnection.ClearPool(new SqliteConnection(directoryConnectionString));
    }

    /// <summary>Streams a message to a blob (its fsyncs started, see <see cref="StoredBlob.Durable"/>) and computes its metadata from the stored file.</summary>
    internal async Task<PreparedMessage> PrepareAsync(Stream message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var blob = await blobs.WriteAsync(message, options.MaxMessageSize, cancellationToken).ConfigureAwait(false);
        return await PreparedMessage.CreateAsync(blobs, blob, options.MimeLimits, cancellationToken).ConfigureAwait(false);
    }

    internal async Task<int> SweepAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        List<long> ids = [];
        using (var connection = OpenDirectory())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id FROM accounts";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        foreach (var id in ids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (databases.TryGetValue(id, out var open) && open.IsValueCreated)
            {
                referenced.UnionWith(await open.Value.WriteAsync(PruneUnusedBlobs, cancellationToken).ConfigureAwait(false));
            }
            else
            {
                // An account no session has open: a short-lived connection, so a sweep at start-up does not keep
                // a writer alive for every account.
                referenced.UnionWith(PruneClosedAccount(id));
            }
        }

        var deleted = blobs.Sweep(referenced, grace, cancellationToken);
        if (deleted > 0)
        {
            LogSwept(logger, deleted);
        }

        return deleted;
    }

    internal string DatabasePath(long accountId) => Path.Combine(accountsDirectory, accountId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".db");

    private List<string> PruneClosedAccount(long id)
    {
        var path = DatabasePath(id);
        if (!File.Exists(path))
        {
            return [];
        }

        var connectionString = SqliteConnections.Build(path, options);
        try
        {
            using var connection = SqliteConnections.Open(connectionString, options, isWriter: true);
            SchemaMigrator.Migrate(connection, path, AccountSchema.Steps);
            using var transaction = connection.BeginTransaction();
            var hashes = PruneUnusedBlobs(new WriteContext(connection, transaction, id));
            transaction.Commit();
            return hashes;
        }
        finally
        {
            SqliteConnection.ClearPool(new SqliteConnection(connectionString));
        }
    }

    private static List<string> PruneUnusedBlobs(WriteContext context)
    {
        const string Unused = "NOT EXISTS (SELECT 1 FROM messages m WHERE m.blob_id = blobs.id)";
        context.Execute($"DELETE FROM blob_text WHERE rowid IN (SELECT id FROM blobs WHERE {Unused})");
        context.Execute($"DELETE FROM blobs WHERE {Unused}");
        var hashes = new List<string>();
        using var command = context.Command("SELECT hash FROM blobs");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            hashes.Add(reader.GetString(0));
        }

        return hashes;
    }

    private static void InsertAddress(SqliteConnection connection, SqliteTransaction transaction, long id, string address)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO addresses (address, account_id) VALUES ($a, $i)";
        command.Parameters.AddWithValue("$a", address);
        command.Parameters.AddWithValue("$i", id);
        command.ExecuteNonQuery();
    }

    private static long? AccountId(SqliteConnection connection, SqliteTransaction? transaction, string name)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id FROM accounts WHERE name = $n";
        command.Parameters.AddWithValue("$n", name);
        return command.ExecuteScalar() as long?;
    }

    private static StoreException NoAccount(string name) => new(StoreError.NotFound, $"No account named {name}.");

    private async Task<DeliveryOutcome> DeliverOneAsync(PreparedMessage prepared, DeliveryTarget target, DateTimeOffset date, CancellationToken cancellationToken)
    {
        try
        {
            using var connection = OpenDirectory();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, enabled FROM accounts WHERE name = $n";
            command.Parameters.AddWithValue("$n", target.Account);
            long id;
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return new DeliveryOutcome(target, null, StoreError.NotFound);
                }

                if (!reader.GetBoolean(1))
                {
                    return new DeliveryOutcome(target, null, StoreError.Disabled);
                }

                id = reader.GetInt64(0);
            }

            var mailbox = MailboxName.Normalize(target.Mailbox ?? MailboxName.Inbox);
            var quota = QuotaOf(id);
            var result = await Database(id).WriteAsync(
                c =>
                {
                    QuotaCheck.Ensure(c, quota, prepared.Blob.Size, 1);
                    return MessageWrites.Append(c, mailbox, prepared, target.Flags, date);
                },
                cancellationToken,
                blob: prepared.Blob).ConfigureAwait(false);
            return new DeliveryOutcome(target, result, null);
        }
        catch (StoreException ex)
        {
            return new DeliveryOutcome(target, null, ex.Error);
        }
    }

    private AccountDatabase Database(long id)
    {
        ObjectDisposedException.ThrowIf(disposed != 0, this);
        var lazy = databases.GetOrAdd(id, i => new Lazy<AccountDatabase>(() => AccountDatabase.Open(i, DatabasePath(i), options, blobs, logger)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            databases.TryRemove(KeyValuePair.Create(id, lazy));
            throw;
        }
    }

    private SqliteConnection OpenDirectory() => SqliteConnections.Open(directoryConnectionString, options, isWriter: true);

    private Account? ReadAccount(long id)
    {
        using var connection = OpenDirectory();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, enabled, created FROM accounts WHERE id = $i";
        command.Parameters.AddWithValue("$i", id);
        string name;
        bool enabled;
        long created;
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            (name, enabled, created) = (reader.GetString(0), reader.GetBoolean(1), reader.GetInt64(2));
        }

        command.CommandText = "SELECT address FROM addresses WHERE account_id = $i ORDER BY address";
        var addresses = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                addresses.Add(reader.GetString(0));
            }
        }

        return new Account(id, name, addresses, enabled, DateTimeOffset.FromUnixTimeMilliseconds(created));
    }

    private void DeleteDatabaseFiles(long id)
    {
        var path = DatabasePath(id);
        SqliteConnection.ClearPool(new SqliteConnection(SqliteConnections.Build(path, options)));
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Swept {Count} orphaned blob and temporary files")]
    private static partial void LogSwept(ILogger logger, int count);
}
