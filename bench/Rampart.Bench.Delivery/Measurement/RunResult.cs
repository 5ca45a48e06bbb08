namespace Rampart.Bench.Delivery.Measurement;

/// <summary>The figures of one measured run: how many operations, how many bytes, how long, and the latency of each.</summary>
/// <param name="Name">What was measured, as it appears in the table.</param>
/// <param name="Workers">Concurrent writers.</param>
/// <param name="Operations">Operations completed.</param>
/// <param name="Bytes">Payload bytes written (message bytes for deliveries, file bytes for the probes).</param>
/// <param name="Elapsed">Wall-clock time of the whole run.</param>
/// <param name="LatenciesMs">Each operation's latency in milliseconds, sorted ascending.</param>
internal sealed record RunResult(string Name, int Workers, int Operations, long Bytes, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double OperationsPerSecond => Operations / Elapsed.TotalSeconds;

    public double MegabytesPerSecond => Bytes / (1024.0 * 1024.0) / Elapsed.TotalSeconds;

    public double P50 => Percentile(0.50);

    public double P99 => Percentile(0.99);

    /// <summary>Nearest-rank percentile over the sorted latencies.</summary>
    public double Percentile(double fraction)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(fraction * LatenciesMs.Length);
        return LatenciesMs[Math.Clamp(rank - 1, 0, LatenciesMs.Length - 1)];
    }
}
