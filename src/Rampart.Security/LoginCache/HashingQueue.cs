namespace Rampart.Security.LoginCache;

/// <summary>
/// Runs Argon2 verifications at most one per core at a time; the others wait their turn, they are never refused
/// (issue 5 "cost control"). Without it, 500 connections guessing at once would each allocate Argon2's memory and
/// starve every other request of CPU.
/// </summary>
public sealed class HashingQueue : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private long _completed;

    /// <summary>Creates a queue with <paramref name="concurrency"/> slots (default: one per core).</summary>
    public HashingQueue(int? concurrency = null)
    {
        Concurrency = concurrency ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(Concurrency, 1);
        _slots = new SemaphoreSlim(Concurrency, Concurrency);
    }

    /// <summary>How many hashes may run at once.</summary>
    public int Concurrency { get; }

    /// <summary>Hashes queued or running beyond the free slots right now.</summary>
    public int Waiting => Concurrency - _slots.CurrentCount;

    /// <summary>Hashes run to completion so far (a metric; tests count Argon2 runs with it).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Runs <paramref name="work"/> on the thread pool once a slot is free.</summary>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(work, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Increment(ref _completed);
            _slots.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _slots.Dispose();
}
