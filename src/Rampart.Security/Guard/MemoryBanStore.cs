namespace Rampart.Security.Guard;

/// <summary>A ban list held in memory only: for a guard that has no data directory (tests, embedded use).</summary>
public sealed class MemoryBanStore : IBanStore
{
    private readonly Lock _lock = new();
    private List<BanEntry> _entries = [];
    private long _stamp;

    /// <inheritdoc/>
    public long ChangeStamp => Interlocked.Read(ref _stamp);

    /// <inheritdoc/>
    public IReadOnlyList<BanEntry> Load()
    {
        lock (_lock)
        {
            return [.. _entries];
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<BanEntry> Update(Action<List<BanEntry>> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            var copy = new List<BanEntry>(_entries);
            change(copy);
            _entries = copy;
            Interlocked.Increment(ref _stamp);
            return [.. copy];
        }
    }
}
