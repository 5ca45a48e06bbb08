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
