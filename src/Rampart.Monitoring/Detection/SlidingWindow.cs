namespace Rampart.Monitoring.Detection;

/// <summary>Per-key sums over a sliding time window, kept in <see cref="Slots"/> buckets per key so that memory per key
/// is fixed however many events arrive (a flood is a number, not a queue). The window is exact to one bucket
/// (1/60 of it). Keys idle for a whole window are swept when more than <see cref="MaxKeys"/> are held.</summary>
/// <typeparam name="TKey">What is counted per: an account name, an address.</typeparam>
internal sealed class SlidingWindow<TKey>
    where TKey : notnull
{
    /// <summary>Buckets per window.</summary>
    public const int Slots = 60;

    /// <summary>Keys kept before idle ones are swept: 100 000 (an attacker's distinct sources within one window).</summary>
    public const int MaxKeys = 100_000;

    private readonly long bucketTicks;
    private readonly Dictionary<TKey, Buckets> keys;

    public SlidingWindow(TimeSpan window, IEqualityComparer<TKey>? comparer = null)
    {
        bucketTicks = Math.Max(1, window.Ticks / Slots);
        keys = new Dictionary<TKey, Buckets>(comparer);
    }

    /// <summary>Adds <paramref name="amount"/> at <paramref name="time"/> and returns the key's sum within the window.</summary>
    public long Add(TKey key, DateTimeOffset time, long amount)
    {
        var index = time.UtcTicks / bucketTicks;
        if (!keys.TryGetValue(key, out var buckets))
        {
            if (keys.Count >= MaxKeys)
            {
                Sweep(index);
            }

            buckets = new Buckets();
            keys[key] = buckets;
        }

        var slot = (int)(index % Slots);
        if (buckets.Index[slot] != index)
        {
            buckets.Index[slot] = index;
            buckets.Sums[slot] = 0;
        }

        buckets.Sums[slot] += amount;
        buckets.Last = Math.Max(buckets.Last, index);
        long sum = 0;
        for (var i = 0; i < Slots; i++)
        {
            if (index - buckets.Index[i] is >= 0 and < Slots)
            {
                sum += buckets.Sums[i];
            }
        }

        return sum;
    }

    private void Sweep(long index)
    {
        foreach (var (key, buckets) in keys)
        {
            if (index - buckets.Last >= Slots)
            {
                keys.Remove(key);
            }
        }
    }

    private sealed class Buckets
    {
        public long[] Index { get; } = Enumerable.Repeat(long.MinValue / 2, Slots).ToArray();

        public long[] Sums { get; } = new long[Slots];

        public long Last { get; set; } = long.MinValue / 2;
    }
}
