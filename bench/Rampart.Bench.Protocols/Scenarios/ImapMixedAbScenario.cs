using System.Diagnostics;
using System.Globalization;
using System.Text;
using Rampart.Bench.Protocols.Reporting;
using Rampart.Bench.Protocols.Servers;

namespace Rampart.Bench.Protocols.Scenarios;

/// <summary>The mixed IMAP load (<see cref="ImapMixedScenario"/>) against two Rampart servers at the same time, A with
/// the run's settings and B with one more (<c>--ab KEY=VALUE</c>), each with <c>--mixed-clients</c> clients. On a
/// shared machine, two runs one after the other see different load; two servers loaded at once see the same, so the
/// ratio of their CPU time per 1,000 commands (utime + stime, /proc/PID/stat) is what the setting costs. Each round
/// gives one ratio; the median of <c>--ab-rounds</c> rounds is reported.</summary>
internal static class ImapMixedAbScenario
{
    public static async Task RunAsync(ScenarioContext context)
    {
        var (a, b) = (context.Servers[0], context.Servers[1]);
        var appended = Enumerable.Range(5000, 32).Select(i => context.Corpus.GenerateOne(i)).ToArray();
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"### A/B at the same time: A = {a.Name}, B = {b.Name}, {context.Options.Duration.TotalSeconds:0} s per round"));
        text.AppendLine();
        text.AppendLine("| clients each | round | A commands/s | B commands/s | A CPU per 1,000 commands, s | B CPU per 1,000 commands, s | A ÷ B (CPU per command) |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        var summary = new List<string>();
        foreach (var clients in context.Options.MixedClients)
        {
            var ratios = new List<double>();
            for (var round = 1; round <= context.Options.AbRounds; round++)
            {
                Console.Error.WriteLine($"  A/B, {clients} clients each, round {round} (load average {File.ReadAllText("/proc/loadavg").Trim()})…");
                var results = await Task.WhenAll(new[] { a, b }.Select(server => LoadAsync(server, clients, context.Options.Duration, appended)));
                var ratio = results[0].CpuPerThousand / results[1].CpuPerThousand;
                ratios.Add(ratio);
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {clients} | {round} | {results[0].CommandsPerSecond:0.0} | {results[1].CommandsPerSecond:0.0} | {results[0].CpuPerThousand:0.000} | {results[1].CpuPerThousand:0.000} | {ratio:0.000} |"));
            }

            ratios.Sort();
            summary.Add(string.Create(CultureInfo.InvariantCulture,
                $"- {clients} clients each: median A ÷ B of CPU per command {ratios[ratios.Count / 2]:0.000} over {ratios.Count} rounds (range {ratios[0]:0.000}–{ratios[^1]:0.000})"));
        }

        text.AppendLine();
        foreach (var line in summary)
        {
            text.AppendLine(line);
        }

        context.Sections.Add(text.ToString());
        Console.Error.WriteLine(text.ToString());
    }

    private static async Task<(double CommandsPerSecond, double CpuPerThousand)> LoadAsync(ServerUnderTest server, int clients, TimeSpan duration, Rampart.Bench.Delivery.Corpus.CorpusMessage[] appended)
    {
        var latencies = new Latencies();
        var logins = new Latencies();
        var commands = 0L;
        var cpuBefore = server.CpuSeconds();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var random = new Random(c);
            while (clock.Elapsed < duration)
            {
                try
                {
                    Interlocked.Add(ref commands, await ImapMixedScenario.SessionAsync(server, ImapMixedScenario.Users[c % ImapMixedScenario.Users.Length], appended[random.Next(appended.Length)], random, latencies, logins));
                }
                catch (Exception e) when (e is InvalidOperationException or IOException)
                {
                    Console.Error.WriteLine($"    {server.Name}: session failed: {e.Message}");
                }
            }
        }));
        clock.Stop();
        var cpu = server.CpuSeconds() - cpuBefore;
        return (commands / clock.Elapsed.TotalSeconds, commands == 0 ? double.NaN : cpu / (commands / 1000.0));
    }
}
