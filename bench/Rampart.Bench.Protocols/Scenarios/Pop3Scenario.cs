using System.Diagnostics;
using System.Globalization;
using Rampart.Bench.Protocols.Clients;
using Rampart.Bench.Protocols.Reporting;
using Rampart.Bench.Protocols.Servers;

namespace Rampart.Bench.Protocols.Scenarios;

/// <summary>POP3 download sessions (issue 4): login (USER/PASS), STAT, UIDL, RETR of every message, QUIT, on a
/// maildrop of <see cref="BenchOptions.Pop3Messages"/> messages. Each concurrent client has its own account, since
/// both servers lock a maildrop for the length of a session (RFC 1939 §8).</summary>
internal static class Pop3Scenario
{
    public static IEnumerable<string> Users(BenchOptions options) =>
        Enumerable.Range(0, options.Pop3Clients.Max()).Select(i => "pop" + i.ToString(CultureInfo.InvariantCulture));

    public static async Task RunAsync(ScenarioContext context)
    {
        var options = context.Options;
        var warmUp = options.WarmUp;
        foreach (var clients in options.Pop3Clients)
        {
            await context.CompareAsync(string.Create(CultureInfo.InvariantCulture, $"POP3, {clients} client(s), {options.Pop3Messages} messages"), async server =>
            {
                var (sessions, bytes, elapsed) = await MeasureAsync(server, clients, options.Pop3Sessions, options.Duration, warmUp);
                return
                [
                    ("sessions/s", sessions / elapsed.TotalSeconds, Better.Higher),
                    ("MB/s", bytes / 1e6 / elapsed.TotalSeconds, Better.Higher),
                ];
            });
            warmUp = TimeSpan.Zero;
        }
    }

    private static async Task<(int Sessions, long Bytes, TimeSpan Elapsed)> MeasureAsync(ServerUnderTest server, int clients, int sessionTarget, TimeSpan limit, TimeSpan warmUp)
    {
        // Warm-up, not counted: at least one session per account (first-access work: index files, caches), and in
        // the first run sessions for warmUp (a fresh process's JIT).
        var warming = Stopwatch.StartNew();
        do
        {
            await Task.WhenAll(Enumerable.Range(0, clients).Select(c => SessionAsync(server, c, CancellationToken.None)));
        }
        while (warming.Elapsed < warmUp);

        var started = 0;
        var completed = 0;
        long bytes = 0;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(limit + TimeSpan.FromSeconds(60));
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            while (clock.Elapsed < limit && Interlocked.Increment(ref started) <= sessionTarget)
            {
                Interlocked.Add(ref bytes, await SessionAsync(server, c, stop.Token));
                Interlocked.Increment(ref completed);
            }
        }));
        clock.Stop();
        return (completed, bytes, clock.Elapsed);
    }

    private static async Task<long> SessionAsync(ServerUnderTest server, int client, CancellationToken cancellationToken)
    {
        var pop = await Pop3Wire.ConnectAsync(server.Pop3Port, cancellationToken);
        await using var _ = pop.Connection;
        await pop.CommandAsync("USER pop" + client.ToString(CultureInfo.InvariantCulture), cancellationToken);
        await pop.CommandAsync("PASS " + ServerUnderTest.Password, cancellationToken);
        var stat = await pop.CommandAsync("STAT", cancellationToken);
        var count = int.Parse(stat.Split(' ')[1], CultureInfo.InvariantCulture);
        await pop.MultiLineAsync("UIDL", cancellationToken);
        for (var i = 1; i <= count; i++)
        {
            await pop.MultiLineAsync("RETR " + i.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }

        await pop.CommandAsync("QUIT", cancellationToken);
        return pop.Connection.BytesReceived;
    }
}
