using System.Globalization;
using System.Text;

namespace Rampart.Bench.Protocols.Reporting;

/// <summary>Whether a larger figure is better (throughput) or a smaller one (latency, memory, time).</summary>
internal enum Better
{
    Higher,
    Lower,
}

/// <summary>One figure measured on both servers.</summary>
/// <param name="Scenario">What was run, e.g. "POP3, 8 clients".</param>
/// <param name="Metric">What was measured, with its unit.</param>
/// <param name="Rampart">Rampart's figure; NaN when not measured.</param>
/// <param name="Dovecot">Dovecot's figure; NaN when not measured.</param>
/// <param name="Better">Which direction is better.</param>
internal sealed record Comparison(string Scenario, string Metric, double Rampart, double Dovecot, Better Better)
{
    /// <summary>Rampart ÷ Dovecot for every figure: above 1 is better for throughput, below 1 for latency and memory.</summary>
    public double Ratio => Rampart / Dovecot;
}

/// <summary>Prints comparisons as a Markdown table as soon as they are known, and collects them for the summary.</summary>
internal sealed class ComparisonTable
{
    private readonly List<Comparison> _rows = [];

    public void Add(Comparison row)
    {
        _rows.Add(row);
        Console.Error.WriteLine(Format(row));
    }

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("| scenario | metric | Rampart | Dovecot | Rampart ÷ Dovecot | better |");
        text.AppendLine("|---|---|---:|---:|---:|---|");
        foreach (var row in _rows)
        {
            text.AppendLine(Format(row));
        }

        return text.ToString();
    }

    private static string Format(Comparison row) => string.Create(CultureInfo.InvariantCulture,
        $"| {row.Scenario} | {row.Metric} | {Number(row.Rampart)} | {Number(row.Dovecot)} | {(double.IsFinite(row.Ratio) ? row.Ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "–")} | {(row.Better == Better.Higher ? "higher" : "lower")} |");

    private static string Number(double value) => !double.IsFinite(value) ? "–"
        : Math.Abs(value) >= 100 ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 10 ? value.ToString("0.0", CultureInfo.InvariantCulture)
        : value.ToString("0.00", CultureInfo.InvariantCulture);
}
