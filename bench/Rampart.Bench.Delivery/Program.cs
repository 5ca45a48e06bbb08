using System.Globalization;
using Rampart.Bench.Delivery;
using Rampart.Bench.Delivery.Corpus;
using Rampart.Bench.Delivery.Measurement;
using Rampart.Bench.Delivery.Reporting;

// Prints figures and asserts nothing: a benchmark that fails on a slow machine would only teach people to ignore it.
var options = BenchOptions.Parse(args);
if (options is null)
{
    return args.Contains("--help") || args.Contains("-h") ? 0 : 2;
}

// Writers block in fsync; without enough pool threads, eight "concurrent" writers would run two at a time on a
// two-core machine until the pool noticed.
ThreadPool.SetMinThreads(64, 64);

var work = Directory.CreateDirectory(Path.Combine(Path.GetFullPath(options.DataParent),
    "rampart-bench-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture))).FullName;
try
{
    var facts = MachineFacts.Collect(work);
    Console.WriteLine("# Rampart delivery benchmark");
    Console.WriteLine();
    Console.WriteLine("command: rampart-bench " + string.Join(' ', args));
    Console.WriteLine();

    var generated = System.Diagnostics.Stopwatch.StartNew();
    var corpus = new CorpusGenerator(options.Seed).GenerateMany(options.Messages);
    generated.Stop();
    var totalBytes = corpus.Sum(m => (long)m.Bytes.Length);
    var sizes = corpus.Select(m => m.Bytes.Length).Order().ToArray();
    var kinds = corpus.GroupBy(m => m.Kind).OrderBy(g => g.Key).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()}"));
    Console.WriteLine(ResultTable.Machine(facts,
    [
        ("SQLite", FsyncCeiling.SqliteVersion()),
        ("store durability", options.Durable ? "fsync on (Durable = true)" : "fsync OFF (--no-fsync)"),
        ("corpus", string.Create(CultureInfo.InvariantCulture,
            $"{corpus.Count} messages, seed {options.Seed}, {totalBytes / 1024.0 / 1024.0:0.0} MB, median {sizes[sizes.Length / 2] / 1024.0:0.0} KB, min {sizes[0] / 1024.0:0.0} KB, max {sizes[^1] / 1024.0:0.0} KB; {string.Join(", ", kinds)} (generated in {generated.Elapsed.TotalSeconds:0.0} s)")),
    ]));

    var probes = new List<RunResult>();
    foreach (var writers in options.Writers)
    {
        probes.Add(await FsyncCeiling.WriteFsyncAsync(work, options.ProbeOperations, writers));
        probes.Add(await FsyncCeiling.WriteRenameAsync(work, options.ProbeOperations, writers));
        probes.Add(await FsyncCeiling.SqliteCommitAsync(work, options.ProbeOperations, writers));
    }

    Console.WriteLine("## The disk's ceiling: durable 4 KB operations");
    Console.WriteLine();
    Console.WriteLine(ResultTable.Runs("probe", probes));

    var deliveries = new List<RunResult>();
    foreach (var writers in options.Writers)
    {
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"delivering {corpus.Count} messages with {writers} writer(s) into 1 account…"));
        deliveries.Add(await StoreDelivery.RunAsync(work, corpus, writers, accounts: 1, options.Durable));
        if (writers > 1)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"delivering {corpus.Count} messages with {writers} writers into {writers} accounts…"));
            deliveries.Add(await StoreDelivery.RunAsync(work, corpus, writers, accounts: writers, options.Durable));
        }
    }

    Console.WriteLine("## Delivery throughput (IMailStore.DeliverAsync, SQLite store)");
    Console.WriteLine();
    Console.WriteLine(ResultTable.Runs("scenario", deliveries));
    return 0;
}
finally
{
    if (options.Keep)
    {
        Console.Error.WriteLine("kept " + work);
    }
    else
    {
        Directory.Delete(work, recursive: true);
    }
}
