using System.Collections.Concurrent;

namespace Rampart.Store.Sqlite.Blobs;

/// <summary>A few dedicated threads that run blocking fsync calls for the blob store. An fsync holds its thread for
/// milliseconds; on the thread pool, several at once would leave no thread for the sessions' network work (the pool
/// adds threads slowly), so the fsyncs that run while a delivery goes on (<see cref="BlobStore"/>) run here.</summary>
internal sealed class FsyncThreads
{
    /// <summary>Threads of the process-wide instance: enough for the fsyncs of several concurrent deliveries to be
    /// in flight together (the filesystem journal groups them), few enough to cost nothing when idle.</summary>
    private const int ThreadCount = 8;

    private readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> queue = [];

    private FsyncThreads(int count)
    {
        for (var i = 0; i < count; i++)
        {
            new Thread(Loop) { IsBackground = true, Name = "rampart-fsync" }.Start();
        }
    }

    /// <summary>The process-wide threads, started on first use and never stopped (background threads).</summary>
    public static FsyncThreads Shared { get; } = new(ThreadCount);

    /// <summary>Queues blocking work; the task completes (or faults) when it has run.</summary>
    public Task Run(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        queue.Add((work, done));
        return done.Task;
    }

    private void Loop()
    {
        foreach (var (work, done) in queue.GetConsumingEnumerable())
        {
            try
            {
                work();
                done.SetResult();
            }
#pragma warning disable CA1031 // Any failure belongs to the caller waiting on the task.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                done.SetException(ex);
            }
        }
    }
}
