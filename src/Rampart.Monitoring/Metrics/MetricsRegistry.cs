using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Rampart.Monitoring.Metrics;

/// <summary>
/// A small metrics registry that writes the Prometheus text exposition format (version 0.0.4): counters and
/// histograms with labels, and gauges read from a callback at scrape time.
/// </summary>
/// <remarks>Written here rather than taken from a client library because the one that serves plain text without
/// ASP.NET pulls in old transitive packages, and the format is a page of text. Label values can come from clients
/// (a command name): each metric keeps at most <see cref="MaxSeriesPerMetric"/> label sets and folds the rest into
/// <c>other</c>, so a client cannot grow memory or the scrape without bound.</remarks>
public sealed class MetricsRegistry
{
    /// <summary>Label sets kept per metric before new ones are folded into <c>other</c>. Default 1000: far above
    /// what protocols × commands × results produce, far below what would hurt a scrape.</summary>
    public const int MaxSeriesPerMetric = 1000;

    private readonly ConcurrentDictionary<string, MetricFamily> families = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Help, Func<double> Read)> gauges = new(StringComparer.Ordinal);

    /// <summary>Gets or creates a counter.</summary>
    public Counter Counter(string name, string help, params string[] labelNames) =>
        (Counter)families.GetOrAdd(name, _ => new Counter(name, help, labelNames));

    /// <summary>Gets or creates a histogram with the given upper bounds (ascending; +Inf is implied).</summary>
    public Histogram Histogram(string name, string help, double[] buckets, params string[] labelNames) =>
        (Histogram)families.GetOrAdd(name, _ => new Histogram(name, help, buckets, labelNames));

    /// <summary>Registers a gauge whose value is read at each scrape (e.g. the store size). The callback must be
    /// quick and must not throw; one that throws is reported as NaN.</summary>
    public void Gauge(string name, string help, Func<double> read) => gauges[name] = (help, read);

    /// <summary>Writes every metric in the text format.</summary>
    public string Export()
    {
        var text = new StringBuilder();
        foreach (var family in families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            family.Write(text);
        }

        foreach (var (name, gauge) in gauges.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            double value;
            try
            {
                value = gauge.Read();
            }
#pragma warning disable CA1031 // One broken gauge must not break the scrape of everything else.
            catch (Exception)
#pragma warning restore CA1031
            {
                value = double.NaN;
            }

            text.Append("# HELP ").Append(name).Append(' ').Append(gauge.Help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(" gauge\n");
            text.Append(name).Append(' ').Append(MetricFamily.FormatValue(value)).Append('\n');
        }

        return text.ToString();
    }
}

/// <summary>One named metric with its label sets.</summary>
public abstract class MetricFamily
{
    private readonly string[] labelNames;

    private protected MetricFamily(string name, string help, string[] labelNames)
    {
        Name = name;
        Help = help;
        this.labelNames = labelNames;
    }

    public string Name { get; }

    public string Help { get; }

    internal abstract void Write(StringBuilder text);

    internal static string FormatValue(double value) => double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private protected string Key(ReadOnlySpan<string?> values)
    {
        if (values.Length != labelNames.Length)
        {
            throw new ArgumentException($"{Name} takes {labelNames.Length} label values");
        }

        return values.Length switch
        {
            0 => string.Empty,
            1 => values[0] ?? string.Empty,
            _ => string.Join('\u0001', values.ToArray()),
        };
    }

    private protected string OverflowKey() => string.Join('\u0001', Enumerable.Repeat("other", labelNames.Length));

    private protected void AppendLabels(StringBuilder text, string key, string? extraName = null, string? extraValue = null)
    {
        if (labelNames.Length == 0 && extraName is null)
        {
            return;
        }

        text.Append('{');
        var values = labelNames.Length == 0 ? [] : key.Split('\u0001');
        for (var i = 0; i < labelNames.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(labelNames[i]).Append("=\"");
            AppendEscaped(text, values[i]);
            text.Append('"');
        }

        if (extraName is not null)
        {
            if (labelNames.Length > 0)
            {
                text.Append(',');
            }

            text.Append(extraName).Append("=\"").Append(extraValue).Append('"');
        }

        text.Append('}');
    }

    private static void AppendEscaped(StringBuilder text, string value)
    {
        // Text format 0.0.4: label values escape backslash, double quote and line feed.
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append("\\\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append("\\n"),
                _ => text.Append(c),
            };
        }
    }
}

/// <summary>A monotonically increasing count.</summary>
public sealed class Counter : MetricFamily
{
    private readonly ConcurrentDictionary<string, StrongBox> series = new(StringComparer.Ordinal);

    internal Counter(string name, string help, string[] labelNames)
        : base(name, help, labelNames)
    {
    }

    /// <summary>Adds <paramref name="amount"/> to the series with these label values.</summary>
    public void Add(long amount, params ReadOnlySpan<string?> labels)
    {
        var key = Key(labels);
        if (!series.TryGetValue(key, out var box))
        {
            box = series.Count >= MetricsRegistry.MaxSeriesPerMetric ? series.GetOrAdd(OverflowKey(), _ => new StrongBox()) : series.GetOrAdd(key, _ => new StrongBox());
        }

        Interlocked.Add(ref box.Value, amount);
    }

    /// <summary>Adds one.</summary>
    public void Inc(params ReadOnlySpan<string?> labels) => Add(1, labels);

    /// <summary>The current value of one series (tests, self-checks).</summary>
    public long Value(params ReadOnlySpan<string?> labels) => series.TryGetValue(Key(labels), out var box) ? Interlocked.Read(ref box.Value) : 0;

    internal override void Write(StringBuilder text)
    {
        text.Append("# HELP ").Append(Name).Append(' ').Append(Help).Append('\n');
        text.Append("# TYPE ").Append(Name).Append(" counter\n");
        foreach (var (key, box) in series.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            text.Append(Name);
            AppendLabels(text, key);
            text.Append(' ').Append(Interlocked.Read(ref box.Value).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private sealed class StrongBox
    {
        public long Value;
    }
}

/// <summary>A distribution of observed values in cumulative buckets (latencies, sizes).</summary>
public sealed class Histogram : MetricFamily
{
    private readonly double[] bounds;
    private readonly ConcurrentDictionary<string, Series> series = new(StringComparer.Ordinal);

    internal Histogram(string name, string help, double[] bounds, string[] labelNames)
        : base(name, help, labelNames) => this.bounds = bounds;

    /// <summary>Records one observation.</summary>
    public void Observe(double value, params ReadOnlySpan<string?> labels)
    {
        var key = Key(labels);
        if (!series.TryGetValue(key, out var s))
        {
            s = series.Count >= MetricsRegistry.MaxSeriesPerMetric
                ? series.GetOrAdd(OverflowKey(), _ => new Series(bounds.Length))
                : series.GetOrAdd(key, _ => new Series(bounds.Length));
        }

        lock (s)
        {
            var i = 0;
            while (i < bounds.Length && value > bounds[i])
            {
                i++;
            }

            s.Counts[i]++;
            s.Sum += value;
            s.Count++;
        }
    }

    internal override void Write(StringBuilder text)
    {
        text.Append("# HELP ").Append(Name).Append(' ').Append(Help).Append('\n');
        text.Append("# TYPE ").Append(Name).Append(" histogram\n");
        foreach (var (key, s) in series.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            long[] counts;
            double sum;
            long count;
            lock (s)
            {
                counts = [.. s.Counts];
                sum = s.Sum;
                count = s.Count;
            }

            long cumulative = 0;
            for (var i = 0; i <= bounds.Length; i++)
            {
                cumulative += counts[i];
                text.Append(Name).Append("_bucket");
                AppendLabels(text, key, "le", i < bounds.Length ? FormatValue(bounds[i]) : "+Inf");
                text.Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            text.Append(Name).Append("_sum");
            AppendLabels(text, key);
            text.Append(' ').Append(FormatValue(sum)).Append('\n');
            text.Append(Name).Append("_count");
            AppendLabels(text, key);
            text.Append(' ').Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private sealed class Series(int bounds)
    {
        public long[] Counts { get; } = new long[bounds + 1];

        public double Sum { get; set; }

        public long Count { get; set; }
    }
}
