using Rampart.Store.Mime;
using Rampart.Store.Quota;

namespace Rampart.Store.Sqlite;

/// <summary>Settings of the embedded store: where it lives, how big a message may be, and how hard it tries to be durable.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The data directory holding <c>directory.db</c>, <c>accounts/</c> and <c>blobs/</c>. Created when missing.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Largest message accepted by APPEND or delivery, in octets. Default 50 MB (SECURITY.md limits):
    /// larger ones fail with <see cref="StoreError.TooBig"/> and leave nothing on disk.</summary>
    public long MaxMessageSize { get; set; } = 50L * 1024 * 1024;

    /// <summary>The quota of an account without its own (<see cref="AccountQuotaSettings"/>). Default unlimited. APPEND,
    /// COPY and delivery that would take an account over its quota fail with <see cref="StoreError.OverQuota"/>.</summary>
    public QuotaLimits DefaultQuota { get; set; } = QuotaLimits.Unlimited;

    /// <summary>Limits for the MIME metadata computed at delivery (SECURITY.md M05, M06).</summary>
    public MimeLimits MimeLimits { get; set; } = MimeLimits.Default;

    /// <summary>How long the account writer waits for more work before committing a batch. Default zero: a batch is
    /// whatever queued while the previous commit was being fsynced, which already groups concurrent deliveries
    /// without adding latency to a lone one.</summary>
    public TimeSpan GroupCommitWindow { get; set; } = TimeSpan.Zero;

    /// <summary>Whether blobs and commits are fsynced (SQLite <c>synchronous=FULL</c>, blob file and directory fsync).
    /// Default true. Set false only for tests and benchmark comparisons: a power loss may then lose acknowledged mail.</summary>
    public bool Durable { get; set; } = true;

    /// <summary>Whether a commit holding only flag changes (STORE, the \Seen a FETCH sets) is fsynced too. Default false:
    /// such a commit is written to the WAL without its fsync (<c>synchronous=NORMAL</c>), so it survives a crash of the
    /// process but a power loss may undo the last flag changes (never corrupting the database, and never undoing mail:
    /// APPEND, delivery, COPY/MOVE and EXPUNGE are always fsynced, and each such fsync also makes every earlier flag
    /// change durable). Flags are client state a client re-applies; an fsync per STORE made every flag change cost a
    /// disk flush. Ignored when <see cref="Durable"/> is false.</summary>
    public bool FsyncFlagChanges { get; set; }

    /// <summary>How long after a delivery's commit its search text is moved into the full-text index. Default 200 ms:
    /// deliveries in that time are indexed in one batch, off their own commit; a SEARCH indexes whatever is still
    /// pending first, so it never misses a message.</summary>
    public TimeSpan TextIndexDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often an account with subscribers looks for changes committed by another process (e.g.
    /// <c>rampart deliver</c> while <c>rampart serve</c> runs). Default 250 ms, so such changes arrive within 1 s.</summary>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Changes a subscriber may have queued before it gets <see cref="Store.Changes.FeedOverflow"/>. Default 4096.</summary>
    public int SubscriberQueueCapacity { get; set; } = 4096;

    /// <summary>Change-log rows kept per account for subscribers that fall behind; older ones are pruned. Default 10,000.</summary>
    public int ChangeLogRetention { get; set; } = 10_000;

    /// <summary>Age under which temporary files and unreferenced blobs are never swept. Default 10 minutes: another process
    /// (<c>rampart deliver</c>) may have written a blob whose metadata it has not committed yet.</summary>
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a SQLite statement waits for a lock held by another connection or process. Default 30 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deepest SEARCH criteria tree evaluated (SECURITY.md M08). Default 100; deeper trees fail with <see cref="StoreError.TooComplex"/>.</summary>
    public int MaxSearchDepth { get; set; } = 100;

    /// <summary>Most nodes in one SEARCH criteria tree. Default 10,000.</summary>
    public int MaxSearchNodes { get; set; } = 10_000;
}
