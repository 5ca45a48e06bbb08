using System.Diagnostics;
using System.Globalization;
using Rampart.Bench.Delivery.Corpus;
using Rampart.Bench.Delivery.Reporting;
using Rampart.Bench.Protocols;
using Rampart.Bench.Protocols.Reporting;
using Rampart.Bench.Protocols.Scenarios;
using Rampart.Bench.Protocols.Scenarios.Security;
using Rampart.Bench.Protocols.Servers;

// Prints figures and asserts nothing: the same client load against rampart serve and Dovecot, side by side.
BenchOptions? options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options is null)
{
    return 0;
}

// Thousands of sessions block in reads; without enough pool threads the first connections would queue.
ThreadPool.SetMinThreads(64, 64);

var work = Directory.CreateDirectory(Path.Combine(Path.GetFullPath(options.WorkParent),
    "rampart-pbench-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture))).FullName;
var script = DovecotServer.FindScript();
if (!options.RampartOnly && options.Scenarios.Overlaps(BenchOptions.AllScenarios) && script is null)
{
    Console.Error.WriteLine("bench/dovecot/dovecot.sh not found above the current directory; run from the repository or use --rampart-only");
    return 2;
}

var servers = new List<ServerUnderTest>();
try
{
    var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
    var facts = MachineFacts.Collect(work);
    var dovecotVersion = options.RampartOnly ? "not run (--rampart-only)"
        : !options.Scenarios.Overlaps(BenchOptions.AllScenarios) ? "not run (account-security scenarios are Rampart's alone)"
        : DovecotServer.Version(script!);
    var corpus = new CorpusGenerator(options.Seed);
    var plan = SeedPlan.For(options, corpus);

    Console.WriteLine("# Rampart protocol benchmark: Rampart vs Dovecot");
    Console.WriteLine();
    Console.WriteLine("command: Rampart.Bench.Protocols " + string.Join(' ', args));
    Console.WriteLine();

    // The account-security scenarios start servers of their own; the shared ones are only for the protocol scenarios.
    var sharedServers = options.Scenarios.Overlaps(BenchOptions.AllScenarios) || options.AbSetting is not null;
    if (sharedServers)
    {
        servers.Add(new RampartServer(Path.Combine(work, "rampart"), options.RampartPortOffset, options.RampartSettings));
    }

    if (options.AbSetting is { } ab)
    {
        var settings = new Dictionary<string, string>(options.RampartSettings) { [ab.Key] = ab.Value };
        servers.Add(new RampartServer(Path.Combine(work, "rampart-b"), options.RampartPortOffset + 50, settings, name: $"Rampart ({ab.Key}={ab.Value})"));
    }

    if (!options.RampartOnly && sharedServers)
    {
        servers.Add(new DovecotServer(Path.Combine(work, "dovecot"), options.DovecotPortOffset, script!, options.DovecotScheme));
    }

    foreach (var server in servers)
    {
        var clock = Stopwatch.StartNew();
        Console.Error.WriteLine($"{server.Name}: creating {plan.Users.Count} users, seeding {plan.MessageCount:#,0} messages…");
        await server.CreateUsersAsync(plan.Users, CancellationToken.None);
        foreach (var (users, messages) in plan.Seeds)
        {
            await server.SeedAsync(users, messages, CancellationToken.None);
        }

        await server.StartAsync(CancellationToken.None);
        Console.Error.WriteLine($"{server.Name}: ready in {clock.Elapsed.TotalSeconds:0} s (imaps {server.ImapPort}, pop3s {server.Pop3Port})");
    }

    var table = new ComparisonTable();
    var context = new ScenarioContext(options, servers, corpus, table, work);
    var notes = new List<string>();
    foreach (var (name, run) in new (string, Func<ScenarioContext, Task>)[]
    {
        ("pop3", Pop3Scenario.RunAsync),
        ("imap-mixed", ImapMixedScenario.RunAsync),
        ("imap-idle", ImapIdleScenario.RunAsync),
        ("imap-append", ImapAppendScenario.RunAsync),
        ("imap-fetch", ImapBigMailboxScenario.FetchAsync),
        ("imap-search", ImapBigMailboxScenario.SearchAsync),
        ("imap-select", ImapBigMailboxScenario.SelectAsync),
        ("lmtp", LmtpScenario.RunAsync),
        ("login-cold", c => LoginScenario.RunAsync(c, cold: true)),
        ("login-warm", c => LoginScenario.RunAsync(c, cold: false)),
        ("bruteforce", BruteForceScenario.RunAsync),
        ("hammer", HammerScenario.RunAsync),
        (BenchOptions.AbScenario, ImapMixedAbScenario.RunAsync),
    })
    {
        if (!options.Scenarios.Contains(name))
        {
            continue;
        }

        Console.Error.WriteLine($"scenario {name} (load average {File.ReadAllText("/proc/loadavg").Trim()})");
        try
        {
            await run(context);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
        {
            // A server that cannot run a scenario yet is a finding, not a crash of the benchmark.
            var note = $"{name}: skipped — {e.GetType().Name}: {e.Message}";
            notes.Add(note);
            Console.Error.WriteLine(note);
        }
    }

    var loadAfter = File.ReadAllText("/proc/loadavg").Trim();
    Console.WriteLine(MachineTable(facts,
    [
        ("Dovecot", dovecotVersion + ", passwords " + options.DovecotScheme),
        ("load average (1/5/15 min) before", loadBefore),
        ("load average (1/5/15 min) after", loadAfter),
        ("open files limit", OpenFilesLimit()),
        ("corpus", string.Create(CultureInfo.InvariantCulture, $"seed {options.Seed}; {plan.Describe()}")),
    ]));
    if (sharedServers && options.AbSetting is null)
    {
        Console.WriteLine(table.Render());
    }

    foreach (var note in notes)
    {
        Console.WriteLine("- " + note);
    }

    foreach (var section in context.Sections)
    {
        Console.WriteLine();
        Console.WriteLine(section);
    }

    return 0;
}
finally
{
    foreach (var server in servers)
    {
        await server.DisposeAsync();
    }

    if (options.Keep)
    {
        Console.Error.WriteLine("kept " + work);
    }
    else
    {
        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"could not delete {work}: {e.Message}");
        }
    }
}

static string MachineTable(MachineFacts facts, IEnumerable<(string Name, string Value)> extra)
{
    var text = new System.Text.StringBuilder();
    text.AppendLine("| machine | |");
    text.AppendLine("|---|---|");
    foreach (var (name, value) in facts.Rows().Where(r => r.Name != "data filesystem").Concat(extra))
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
    }

    return text.ToString();
}

static string OpenFilesLimit() =>
    File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal)) is { } line
        ? string.Join(' ', line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2)) + " (soft hard)"
        : "unknown";
