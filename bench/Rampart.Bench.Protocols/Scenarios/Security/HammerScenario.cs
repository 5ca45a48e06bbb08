using System.Diagnostics;
using System.Globalization;
using System.Security.Authentication;
using System.Text;
using Rampart.Bench.Protocols.Clients;
using Rampart.Bench.Protocols.Reporting;

namespace Rampart.Bench.Protocols.Scenarios.Security;

/// <summary>Memory and CPU of the server while many connections hammer wrong passwords (issue 5, "figures"). Each of
/// <c>--hammer-connections</c> clients, bound to one of <c>--hammer-addresses</c> loopback addresses, connects,
/// sends LOGIN with a new wrong password until the server closes the session, and reconnects; a refused connection
/// (no greeting: a ban or the per-address limit) is retried after one second, as a patient bot would (retrying at once
/// would only measure the benchmark's own loop). The server runs its defaults: 20 unauthenticated connections per
/// address, the 2 s → 15 s delays, a ban after 20 failures. Sampled every second: the server's PSS
/// (/proc/PID/smaps_rollup) and CPU time (utime + stime, /proc/PID/stat).</summary>
internal static class HammerScenario
{
    private const string Target = "hammered";

    public static async Task RunAsync(ScenarioContext context)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"### {context.Options.HammerConnections} connections hammering wrong passwords for {context.Options.HammerDuration.TotalSeconds:0} s"));
        text.AppendLine();
        text.AppendLine("| source addresses | connections per address | connects tried | greeted | refused before greeting | LOGIN replies (NO) | sessions closed by server | NO reply p50 / p99 / max, s | open connections, max | server PSS idle → peak → end, MB | server CPU, s | server CPU, % of one core |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|---:|");
        var metrics = new List<string>();
        var slot = 4;
        foreach (var addresses in context.Options.HammerAddresses)
        {
            await using var security = await SecurityServer.StartAsync(context, "hammer-" + addresses.ToString(CultureInfo.InvariantCulture), slot++, [Target], new Dictionary<string, string>());
            var server = security.Server;
            Console.Error.WriteLine($"  hammer: {context.Options.HammerConnections} connections from {addresses} addresses…");
            await Task.Delay(TimeSpan.FromSeconds(3)); // let start-up work settle before the idle reading
            var idle = server.MemoryKilobytes();
            long peak = idle;
            var open = 0;
            var maxOpen = 0;
            long tried = 0, greeted = 0, refused = 0, no = 0, closed = 0;
            var replies = new Latencies();
            var cpuBefore = server.CpuSeconds();
            var clock = Stopwatch.StartNew();
            var limit = context.Options.HammerDuration;
            using var stop = new CancellationTokenSource(limit);
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    peak = Math.Max(peak, server.MemoryKilobytes());
                    maxOpen = Math.Max(maxOpen, Volatile.Read(ref open));
                    try
                    {
                        await Task.Delay(1000, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            });
            await Task.WhenAll(Enumerable.Range(0, context.Options.HammerConnections).Select(async c =>
            {
                var local = SecurityServer.ClientAddress(c % addresses);
                var random = new Random(c);
                while (!stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref tried);
                    ImapWire imap;
                    try
                    {
                        imap = await ImapWire.ConnectAsync(server.ImapPort, stop.Token, local);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                    catch (Exception e) when (e is IOException or AuthenticationException or InvalidOperationException or System.Net.Sockets.SocketException)
                    {
                        Interlocked.Increment(ref refused);
                        try
                        {
                            await Task.Delay(1000, stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                        }

                        continue;
                    }

                    Interlocked.Increment(ref greeted);
                    Interlocked.Increment(ref open);
                    try
                    {
                        while (true)
                        {
                            var started = Stopwatch.GetTimestamp();
                            var reply = await imap.CommandAnyAsync(string.Create(CultureInfo.InvariantCulture, $"LOGIN {Target} \"Wrong-{random.Next():x8}-Pw!\""), stop.Token);
                            if (reply.StartsWith("NO", StringComparison.Ordinal))
                            {
                                Interlocked.Increment(ref no);
                                replies.Add(Stopwatch.GetElapsedTime(started).TotalSeconds * 1000);
                            }
                        }
                    }
                    catch (IOException)
                    {
                        Interlocked.Increment(ref closed);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    finally
                    {
                        Interlocked.Decrement(ref open);
                        await imap.Connection.DisposeAsync();
                    }
                }
            }));
            clock.Stop();
            await sampler;
            var cpu = server.CpuSeconds() - cpuBefore;
            var end = server.MemoryKilobytes();
            var perAddress = (double)context.Options.HammerConnections / addresses;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {addresses} | {perAddress:0.#} | {tried:#,0} | {greeted:#,0} | {refused:#,0} | {no:#,0} | {closed:#,0} | {replies.Percentile(50) / 1000:0.0} / {replies.Percentile(99) / 1000:0.0} / {replies.Percentile(100) / 1000:0.0} | {maxOpen:#,0} | {idle / 1024.0:0} → {peak / 1024.0:0} → {end / 1024.0:0} | {cpu:0.0} | {cpu / clock.Elapsed.TotalSeconds * 100:0} |"));
            metrics.Add(string.Create(CultureInfo.InvariantCulture, $"# {addresses} addresses"));
            metrics.AddRange(await security.MetricsAsync("rampart_authentications_total", "rampart_bans_total", "rampart_connections_refused_total", "rampart_limit_hits_total", "rampart_tls_handshake_failures_total", "rampart_connections_total"));
        }

        text.AppendLine();
        text.AppendLine("What the server counted (`/metrics` afterwards, non-zero lines):");
        text.AppendLine();
        text.AppendLine(SecurityServer.CodeBlock(metrics));
        context.Sections.Add(text.ToString());
        Console.Error.WriteLine(text.ToString());
    }
}
