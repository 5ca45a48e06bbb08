namespace Rampart.Store.Sqlite.Blobs;

/// <summary>A few dedicated threads that run blocking fsync calls for the blob store. An fsync holds its thread for
/// milliseconds; on the thread pool, several at once would leave no thread for the sessions' network work (the pool
/// adds threads slowly), so the fsyncs that run while a delivery goes on (<see cref="BlobStore"/>) run here.</summary>
internal sealed class FsyncThreads
{
    /// <summary>Threads of the process-wide instance: enough for the fsyncs of several concurrent deliveries to be
    /// in flight together (the filesystem journal groups them), few enough to cost nothing when idle.</summary>
    private const int ThreadCount = 8;

    /// <summary>Work not yet taken, guarded by itself: an idle thread blocks in <see cref="Monitor.Wait(object)"/>,
    /// where a blocking collection's semaphore would first spin, every idle thread yielding the CPU hundreds of
    /// times per fsync on a machine that needs it for the delivery the fsync belongs to.</summary>
    private readonly Queue<(Action Work, TaskCompletionSource Done)> queue = new();

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
        lock (queue)
        {
            queue.Enqueue((work, done));
            Monitor.Pulse(queue);
        }

        return done.Task;
    }

    private void Loop()
    {
        while (true)
        {
            Action work;
            TaskCompletionSource done;
            lock (queue)
            {
                while (queue.Count == 0)
                {
                    Monitor.Wait(queue);
                }

                (work, done) = queue.Dequeue();
            }

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
