using System.Diagnostics;
using System.Globalization;
using Rampart.Bench.Delivery.Corpus;
using Rampart.Bench.Protocols.Clients;
using Rampart.Bench.Protocols.Reporting;
using Rampart.Bench.Protocols.Servers;

namespace Rampart.Bench.Protocols.Scenarios;

/// <summary>Mixed IMAP load (issue 3, scenario 1): each client repeats a session — LOGIN, SELECT, FETCH of 20
/// envelopes and flags, FETCH of one whole message, STORE, SEARCH, APPEND, EXPUNGE, LOGOUT — for the run's
/// duration. Clients share ten accounts of <see cref="MailboxSize"/> messages. Each APPEND adds a message already
/// flagged \Deleted, so that the EXPUNGE keeps the mailbox at its size and never shifts the seeded messages'
/// sequence numbers.</summary>
internal static class ImapMixedScenario
{
    public const int MailboxSize = 100;

    public static readonly string[] Users = [.. Enumerable.Range(0, 10).Select(i => "mix" + i.ToString(CultureInfo.InvariantCulture))];

    public static async Task RunAsync(ScenarioContext context)
    {
        var appended = Enumerable.Range(5000, 32).Select(i => context.Corpus.GenerateOne(i)).ToArray();
        foreach (var clients in context.Options.MixedClients)
        {
            await context.CompareAsync(string.Create(CultureInfo.InvariantCulture, $"IMAP mixed, {clients} clients"), async server =>
            {
                var latencies = new Latencies();
                var logins = new Latencies();
                var commands = 0L;
                var failures = 0;
                var cpuBefore = server.CpuSeconds();
                var clock = Stopwatch.StartNew();
                var limit = context.Options.Duration;
                await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
                {
                    var random = new Random(c);
                    while (clock.Elapsed < limit)
                    {
                        try
                        {
                            Interlocked.Add(ref commands, await SessionAsync(server, Users[c % Users.Length], appended[random.Next(appended.Length)], random, latencies, logins));
                        }
                        catch (Exception e) when (e is InvalidOperationException or IOException)
                        {
                            if (Interlocked.Increment(ref failures) <= 3)
                            {
                                Console.Error.WriteLine($"    {server.Name}: session failed: {e.Message}");
                            }
                        }
                    }
                }));
                clock.Stop();
                var cpu = server.CpuSeconds() - cpuBefore;
                if (failures > 0)
                {
                    Console.Error.WriteLine($"    {server.Name}: {failures} failed sessions");
                }

                return
                [
                    ("commands/s", commands / clock.Elapsed.TotalSeconds, Better.Higher),
                    ("p50 latency, ms", latencies.Percentile(50), Better.Lower),
                    ("p99 latency, ms", latencies.Percentile(99), Better.Lower),
                    ("LOGIN p50 latency, ms", logins.Percentile(50), Better.Lower),
                    ("other commands p50 latency, ms", latencies.Percentile(50, excluding: logins), Better.Lower),
                    // CPU per command: what other load on a shared machine moves far less than commands/s (issue 7).
                    ("server CPU per 1,000 commands, s", commands == 0 ? double.NaN : cpu / (commands / 1000.0), Better.Lower),
                    ("server CPU, % of one core", cpu / clock.Elapsed.TotalSeconds * 100, Better.Lower),
                ];
            });
        }
    }

    internal static async Task<int> SessionAsync(ServerUnderTest server, string user, CorpusMessage append, Random random, Latencies latencies, Latencies logins)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var token = timeout.Token;
        var imap = await ImapWire.ConnectAsync(server.ImapPort, token);
        await using var _ = imap.Connection;
        var count = 0;
        async Task<double> Timed(Func<Task> command)
        {
            var started = Stopwatch.GetTimestamp();
            await command();
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            latencies.Add(milliseconds);
            count++;
            return milliseconds;
        }

        var n = random.Next(1, MailboxSize + 1).ToString(CultureInfo.InvariantCulture);
        var first = random.Next(1, MailboxSize - 19);
        logins.Add(await Timed(() => imap.LoginAsync(user, ServerUnderTest.Password, token)));
        await Timed(() => imap.CommandAsync("SELECT INBOX", token));
        await Timed(() => imap.CommandAsync(string.Create(CultureInfo.InvariantCulture, $"FETCH {first}:{first + 19} (FLAGS ENVELOPE)"), token));
        await Timed(() => imap.CommandAsync($"FETCH {n} (BODY.PEEK[])", token));
        await Timed(() => imap.CommandAsync($"STORE {n} {(random.Next(2) == 0 ? '+' : '-')}FLAGS (\\Flagged)", token));
        await Timed(() => imap.CommandAsync("SEARCH SUBJECT \"report\"", token));
        await Timed(() => imap.AppendAsync("INBOX", "\\Deleted", append.Bytes, token));
        await Timed(() => imap.CommandAsync("EXPUNGE", token));
        await Timed(() => imap.CommandAsync("LOGOUT", token));
        return count;
    }
}
