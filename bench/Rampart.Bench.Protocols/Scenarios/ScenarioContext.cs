using Rampart.Bench.Delivery.Corpus;
using Rampart.Bench.Protocols.Reporting;
using Rampart.Bench.Protocols.Servers;

namespace Rampart.Bench.Protocols.Scenarios;

/// <summary>What every scenario gets: the servers (Dovecot absent with <c>--rampart-only</c>), the options, the corpus
/// generator, the table the figures go to, and the working folder (scenarios that start their own server put its data
/// directory there).</summary>
internal sealed class ScenarioContext(BenchOptions options, IReadOnlyList<ServerUnderTest> servers, CorpusGenerator corpus, ComparisonTable table, string work)
{
    public string Work => work;

    /// <summary>Markdown sections printed after the comparison table, by scenarios whose figures are Rampart's alone.</summary>
    public List<string> Sections { get; } = [];

    public BenchOptions Options => options;

    public IReadOnlyList<ServerUnderTest> Servers => servers;

    public CorpusGenerator Corpus => corpus;

    public ComparisonTable Table => table;

    /// <summary>Runs <paramref name="measure"/> on each server in turn and records one comparison per metric.</summary>
    public async Task CompareAsync(string scenario, Func<ServerUnderTest, Task<IReadOnlyList<(string Metric, double Value, Better Better)>>> measure)
    {
        var results = new Dictionary<string, IReadOnlyList<(string Metric, double Value, Better Better)>>();
        foreach (var server in servers)
        {
            Console.Error.WriteLine($"  {scenario}: {server.Name}…");
            results[server.Name] = await measure(server);
        }

        var first = results.Values.First();
        for (var i = 0; i < first.Count; i++)
        {
            var rampart = results.TryGetValue("Rampart", out var r) ? r[i].Value : double.NaN;
            var dovecot = results.TryGetValue("Dovecot", out var d) ? d[i].Value : double.NaN;
            table.Add(new Comparison(scenario, first[i].Metric, rampart, dovecot, first[i].Better));
        }
    }
}
