using System.Diagnostics;

namespace Rampart.Bench.Delivery.Measurement;

/// <summary>Runs <c>count</c> operations on <c>workers</c> concurrent writers that each take the next index from a
/// shared counter, timing every operation. Writers that finish early do not sit idle while others still have work,
/// so the figure is the throughput of the system, not of the slowest writer.</summary>
internal static class ConcurrentRun
{
    /// <param name="name">What is measured, as the table shows it.</param>
    /// <param name="count">Operations to run, indices <c>0 .. count-1</c>.</param>
    /// <param name="workers">Concurrent writers.</param>
    /// <param name="operation">Performs operation <c>index</c> on writer <c>worker</c> and returns the bytes it wrote.</param>
    public static async Task<RunResult> RunAsync(string name, int count, int workers, Func<int, int, ValueTask<long>> operation)
    {
        var latencies = new double[count];
        var bytes = new long[workers];
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        var writers = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= count)
                {
                    return;
                }

                var start = Stopwatch.GetTimestamp();
                bytes[worker] += await operation(worker, index);
                latencies[index] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }));
        await Task.WhenAll(writers);
        stopwatch.Stop();
        Array.Sort(latencies);
        return new RunResult(name, workers, count, bytes.Sum(), stopwatch.Elapsed, latencies);
    }
}
