using System.Globalization;
using System.Text;
using Rampart.Bench.Delivery.Measurement;

namespace Rampart.Bench.Delivery.Reporting;

/// <summary>Prints the figures as Markdown tables, so that a run's output can go into docs/benchmarks.md as is.</summary>
internal static class ResultTable
{
    public static string Machine(MachineFacts facts, IEnumerable<(string Name, string Value)> extra)
    {
        var text = new StringBuilder();
        text.AppendLine("| machine | |");
        text.AppendLine("|---|---|");
        foreach (var (name, value) in facts.Rows().Concat(extra))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
        }

        return text.ToString();
    }

    public static string Runs(string title, IEnumerable<RunResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| {title} | writers | ops | ops/s | MB/s | p50 ms | p99 ms |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Workers} | {r.Operations} | {r.OperationsPerSecond:0} | {r.MegabytesPerSecond:0.00} | {r.P50:0.00} | {r.P99:0.00} |");
        }

        return text.ToString();
    }
}
