namespace Rampart.Server.Hosting;

/// <summary>
/// The thread pool's minimum of worker threads for a serving process: <see cref="PerCore"/> per core instead of the
/// runtime's one per core.
/// </summary>
/// <remarks>
/// The store's SQLite calls are synchronous: a query, and above all a commit waiting for its WAL fsync, holds its
/// thread-pool thread until it returns. With the runtime's floor (two threads on a two-core machine) two such calls
/// leave no thread for the sessions' socket and TLS work, and the pool grows only by about one thread per half
/// second of starvation, so every command waits. Measured on this project's two-core benchmark machine: one client
/// appending over IMAP, 65 messages/s with the default floor and 164/s with 16 threads; eight clients, 277/s and
/// 748/s (docs/benchmarks.md). Idle threads cost a stack each and nothing else.
/// </remarks>
internal static class ThreadPoolFloor
{
    /// <summary>Worker threads kept ready per core.</summary>
    public const int PerCore = 8;

    /// <summary>Raises the minimum (never lowers one set by DOTNET_ThreadPool_ForceMinWorkerThreads or the admin).</summary>
    public static void Apply()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var floor = Math.Max(workers, PerCore * Environment.ProcessorCount);
        ThreadPool.SetMinThreads(floor, completionPorts);
    }
}
