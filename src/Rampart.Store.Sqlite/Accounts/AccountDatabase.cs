using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Rampart.Store.Sqlite.Blobs;
using Rampart.Store.Sqlite.Changes;
using Rampart.Store.Sqlite.Schema;

namespace Rampart.Store.Sqlite.Accounts;

/// <summary>One account's SQLite database as this process uses it: pooled reader connections, and a single writer
/// that commits whatever writes queued while the previous commit was being fsynced in ONE transaction (group
/// commit: one WAL fsync for many deliveries). Each write runs in its own savepoint, so one failure does not
/// undo the others. Accounts are independent, so deliveries to different accounts commit in parallel.</summary>
internal sealed partial class AccountDatabase : IAsyncDisposable
{
    /// <summary>Most writes committed in one transaction: bounds how long a batch holds the write lock.</summary>
    private const int MaxBatch = 256;

    /// <summary>How long after a commit the background checkpoint runs (<see cref="CheckpointAsync"/>): long
    /// enough to copy many commits' pages in one pass (one fsync of the database file), short enough to keep the
    /// WAL small.</summary>
    private static readonly TimeSpan CheckpointDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>WAL pages past which the writer checkpoints in its own commit after all (SQLite's automatic
    /// checkpoint, at about 64 MB): only reached when the background checkpoint cannot keep up or fails.</summary>
    private const int WriterCheckpointPages = 16_000;

    private readonly Channel<WriteItem> queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection writer;
    private readonly StatementCache statements;
    private readonly SqliteStoreOptions options;
    private readonly ILogger logger;
    private readonly Task writerLoop;
    private int batches;
    private bool relaxedCommits;

    /// <summary>Cancelled at dispose: a background pass waiting for its delay then runs at once.</summary>
    private readonly CancellationTokenSource closing = new();

    /// <summary>Moves committed search texts into the full-text index (<see cref="IndexTextAsync"/>).</summary>
    private readonly DelayedPass indexing;

    /// <summary>Copies the WAL into the database file (<see cref="CheckpointAsync"/>).</summary>
    private readonly DelayedPass checkpointing;

    private AccountDatabase(long accountId, string path, string connectionString, SqliteConnection writer, SqliteStoreOptions options, BlobStore blobs, ILogger logger)
    {
        AccountId = accountId;
        Path = path;
        ConnectionString = connectionString;
        this.writer = writer;
        statements = new StatementCache(writer);
        this.options = options;
        Blobs = blobs;
        this.logger = logger;
        Notifier = new ChangeNotifier(OpenReader, options.ChangePollInterval, options.SubscriberQueueCapacity, logger);
        indexing = new DelayedPass(options.TextIndexDelay, IndexTextAsync, closing.Token);
        checkpointing = new DelayedPass(CheckpointDelay, CheckpointAsync, closing.Token);
        writerLoop = Task.Run(WriteLoopAsync);
    }

    public long AccountId { get; }

    public string Path { get; }

    public string ConnectionString { get; }

    public BlobStore Blobs { get; }

    public SqliteStoreOptions Options => options;

    public ChangeNotifier Notifier { get; }

    /// <summary>UID lists and counts of this account's mailboxes, shared by its sessions.</summary>
    public MailboxSnapshots Snapshots { get; } = new();

    /// <summary>Opens (creating and migrating when needed) the database of one account. A new database gets the
    /// default mailboxes in the same step that creates its tables.</summary>
    public static AccountDatabase Open(long accountId, string path, SqliteStoreOptions options, BlobStore blobs, ILogger logger)
    {
        var connectionString = SqliteConnections.Build(path, options);
        var writer = SqliteConnections.Open(connectionString, options, isWriter: true);
        try
        {
            SchemaMigrator.Migrate(writer, path, AccountSchema.Steps);
            if (options.Durable)
            {
                // Checkpoints run in the background (CheckpointAsync); the writer's own is only a backstop.
                using var pragma = writer.CreateCommand();
                pragma.CommandText = FormattableString.Invariant($"PRAGMA wal_autocheckpoint = {WriterCheckpointPages}");
                pragma.ExecuteNonQuery();
            }

            using (var transaction = writer.BeginTransaction())
            {
                DefaultMailboxes.SeedIfEmpty(writer, transaction);
                transaction.Commit();
            }

            return new AccountDatabase(accountId, path, connectionString, writer, options, blobs, logger);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    public SqliteConnection OpenReader() => SqliteConnections.Open(ConnectionString, options, isWriter: false);

    /// <summary>Queues a write for the account writer; completes once it is committed (durably, when the store is durable).</summary>
    /// <param name="work">The write, run inside the batch transaction.</param>
    /// <param name="cancellationToken">Cancels the write if it has not run yet.</param>
    /// <param name="flagsOnly">A flag change (STORE, the \Seen of a FETCH): see <see cref="SqliteStoreOptions.FsyncFlagChanges"/>.</param>
    /// <param name="blob">The new blob the write names, if any: the commit waits until it is durable
    /// (<see cref="StoredBlob.Durable"/>), and fails the write if it cannot be.</param>
    public Task<T> WriteAsync<T>(Func<WriteContext, T> work, CancellationToken cancellationToken, bool flagsOnly = false, StoredBlob? blob = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new WriteItem<T>(work, cancellationToken) { FlagsOnly = flagsOnly, Prerequisite = blob?.Durable };
        ObjectDisposedException.ThrowIf(!queue.Writer.TryWrite(item), this);

        return item.Task;
    }

    /// <summary>Indexes every search text committed so far, by this process or another (<c>rampart deliver</c>),
    /// before a search reads the index: a write of its own when anything waits, else one indexed lookup. Texts
    /// committed after the search began need not be seen, so one flush is enough.</summary>
    public async Task CatchUpTextAsync(CancellationToken cancellationToken)
    {
        if (HasPendingText())
        {
            await FlushTextAsync(int.MaxValue, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool HasPendingText()
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM blob_text_pending)";
        return (long)command.ExecuteScalar()! != 0;
    }

    /// <summary>One index write: a relaxed commit (derived data: a crash keeps the texts pending, never loses one).</summary>
    private Task<int> FlushTextAsync(int max, CancellationToken cancellationToken) =>
        WriteAsync(c => TextIndex.Flush(c, max), cancellationToken, flagsOnly: true);

    /// <summary>Run <see cref="SqliteStoreOptions.TextIndexDelay"/> after a commit that left text pending, in the
    /// background, so a run of deliveries is indexed in a few batches and none of them waits for the index.</summary>
    private async Task IndexTextAsync()
    {
        try
        {
            while (await FlushTextAsync(TextIndex.MaxBatch, CancellationToken.None).ConfigureAwait(false) == TextIndex.MaxBatch)
            {
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or StoreException or SqliteException or IOException)
        {
            // Disposed, or the flush failed: the texts stay pending and the next flush or search takes them.
        }
    }

    /// <summary>Run <see cref="CheckpointDelay"/> after a durable commit: copies the WAL into the database from
    /// another connection, so that no commit pays for a checkpoint (SQLite's automatic one runs inside the commit that
    /// crosses its threshold: a delivery then waited for a thousand page writes and an fsync of the database file). A
    /// PASSIVE checkpoint never blocks the writer or the readers; frames a reader still uses are left for the next one.</summary>
    private Task CheckpointAsync()
    {
        try
        {
            using var connection = OpenReader();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            command.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            // The next commit schedules another; past WriterCheckpointPages the writer checkpoints itself.
            LogCheckpointFailed(logger, AccountId, ex);
        }

        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writerLoop.ConfigureAwait(false);
        // Passes still waiting run now (an index flush then finds the writer closed and leaves its texts pending).
        await closing.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(indexing.Last, checkpointing.Last).ConfigureAwait(false);
        closing.Dispose();
        Notifier.Dispose();
        statements.Dispose();
        await writer.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<WriteItem>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (options.GroupCommitWindow > TimeSpan.Zero)
            {
                await Task.Delay(options.GroupCommitWindow).ConfigureAwait(false);
            }

            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
            {
                if (!item.TryCancel())
                {
                    batch.Add(item);
                }
            }

            if (batch.Count > 0)
            {
                await CommitBatchAsync(batch).ConfigureAwait(false);
            }
        }
    }

    private async Task CommitBatchAsync(List<WriteItem> batch)
    {
        try
        {
            // A batch of flag changes only commits without the WAL fsync when the store allows it; any other write
            // in the batch (or a later durable commit) makes the batch durable too, since one fsync of the WAL covers
            // every frame before it. The level cannot change inside a transaction, so it is set before BEGIN.
            var relaxed = options.Durable && !options.FsyncFlagChanges && batch.TrueForAll(i => i.FlagsOnly);
            if (relaxed != relaxedCommits)
            {
                using var pragma = writer.CreateCommand();
                pragma.CommandText = relaxed ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL";
                pragma.ExecuteNonQuery();
                relaxedCommits = relaxed;
            }

            // BEGIN IMMEDIATE: take the write lock now (waiting up to the busy timeout for another process).
            using var transaction = writer.BeginTransaction(deferred: false);
            var context = new WriteContext(writer, transaction, AccountId, statements);
            foreach (var item in batch)
            {
                // Savepoints through the statement cache: prepared once, not on every write.
                context.Execute("SAVEPOINT w");
                try
                {
                    item.Run(context);
                    context.Execute("RELEASE w");
                }
                catch (Exception ex) when (ex is StoreException or SqliteException or OperationCanceledException or ArgumentException or InvalidOperationException or IOException)
                {
                    context.Execute("ROLLBACK TO w");
                    context.Execute("RELEASE w");
                    item.Failed(ex);
                }
            }

            if (++batches % 256 == 1)
            {
                // Keep the change log bounded; subscribers that lag further behind get FeedOverflow from their queue.
                context.Execute(
                    "DELETE FROM changes WHERE id <= (SELECT max(id) FROM changes) - $keep",
                    ("$keep", options.ChangeLogRetention));
            }

            // The blobs these writes name must be durable before the commit is: their fsyncs (file and directory)
            // ran while the message was parsed and the writes above ran, and only the commit waits for them, each
            // write for its own blob. If one failed, nothing here is committed.
            if (Prerequisites(batch) is { } blobsDurable)
            {
                await blobsDurable.ConfigureAwait(false);
            }

            transaction.Commit();
            if (context.TextPending)
            {
                indexing.Request();
            }

            if (options.Durable)
            {
                checkpointing.Request();
            }
        }
#pragma warning disable CA1031 // The writer must survive any failure and report it to every waiting caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogBatchFailed(logger, AccountId, ex);
            foreach (var item in batch)
            {
                item.Failed(ex);
            }
        }

        foreach (var item in batch)
        {
            item.Complete();
        }

        Notifier.Notify();
    }

    private static Task? Prerequisites(List<WriteItem> batch)
    {
        List<Task>? tasks = null;
        foreach (var item in batch)
        {
            if (item.Prerequisite is { IsCompletedSuccessfully: false } task)
            {
                (tasks ??= []).Add(task);
            }
        }

        return tasks is null ? null : Task.WhenAll(tasks);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background checkpoint for account {AccountId} failed")]
    private static partial void LogCheckpointFailed(ILogger logger, long accountId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Commit for account {AccountId} failed")]
    private static partial void LogBatchFailed(ILogger logger, long accountId, Exception exception);
}
