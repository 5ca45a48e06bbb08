namespace Rampart.Bench.Protocols.Reporting;

/// <summary>Latency samples from many concurrent clients, in milliseconds.</summary>
internal sealed class Latencies
{
    private readonly List<double> _samples = [];

    public int Count
    {
        get
        {
            lock (_samples)
            {
                return _samples.Count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (_samples)
        {
            _samples.Add(milliseconds);
        }
    }

    /// <summary>The percentile of these samples, leaving out (one each) the samples of <paramref name="excluding"/>.</summary>
    public double Percentile(double p, Latencies excluding)
    {
        var rest = new Latencies();
        lock (_samples)
        {
            var remove = new Dictionary<double, int>();
            foreach (var sample in excluding.Snapshot())
            {
                remove[sample] = remove.GetValueOrDefault(sample) + 1;
            }

            foreach (var sample in _samples)
            {
                if (remove.TryGetValue(sample, out var n) && n > 0)
                {
                    remove[sample] = n - 1;
                }
                else
                {
                    rest._samples.Add(sample);
                }
            }
        }

        return rest.Percentile(p);
    }

    private List<double> Snapshot()
    {
        lock (_samples)
        {
            return [.. _samples];
        }
    }

    public double Percentile(double p)
    {
        lock (_samples)
        {
            if (_samples.Count == 0)
            {
                return double.NaN;
            }

            _samples.Sort();
            return _samples[Math.Min(_samples.Count - 1, (int)(p / 100 * _samples.Count))];
        }
    }
}
