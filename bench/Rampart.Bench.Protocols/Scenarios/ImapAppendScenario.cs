using System.Diagnostics;
using System.Globalization;
using System.Text;
using Rampart.Bench.Delivery.Corpus;
using Rampart.Bench.Protocols.Clients;
using Rampart.Bench.Protocols.Reporting;
using Rampart.Bench.Protocols.Servers;

namespace Rampart.Bench.Protocols.Scenarios;

/// <summary>APPEND of many messages (issue 3, scenario 3): one client appending in turn (every APPEND waits for
/// the previous one's durable OK), then eight clients at once, up to <see cref="BenchOptions.AppendMessages"/> in
/// all, each run bounded by time; then one client with Nagle's algorithm on, which writes the literal and the CRLF
/// after it as two pieces, as Python's imaplib does (the server's delayed ACK decides how long the CRLF waits).</summary>
internal static class ImapAppendScenario
{
    public const string User = "append";

    /// <summary>Appends per connection before the clock starts, at least (the first run also appends for
    /// <see cref="BenchOptions.WarmUp"/>).</summary>
    private const int WarmUp = 20;

    private static long appended;

    public static async Task RunAsync(ScenarioContext context)
    {
        var total = context.Options.AppendMessages;
        var messages = context.Corpus.GenerateMany(Math.Min(total, 2000)).ToArray();
        var warmUp = context.Options.WarmUp;
        foreach (var (clients, nagle) in new[] { (1, false), (8, false), (1, true) })
        {
            var limit = clients == 1 ? context.Options.Duration : context.Options.Duration * 3;
            var name = string.Create(CultureInfo.InvariantCulture, $"IMAP APPEND, {clients} client(s){(nagle ? ", Nagle on" : "")}, up to {total:#,0} messages");
            await context.CompareAsync(name, async server =>
            {
                var (count, bytes, elapsed) = await AppendAsync(server, messages, clients, total, limit, nagle, warmUp);
                Console.Error.WriteLine($"    {server.Name}: {count} messages in {elapsed.TotalSeconds:0.0} s");
                return
                [
                    ("messages/s", count / elapsed.TotalSeconds, Better.Higher),
                    ("MB/s", bytes / 1e6 / elapsed.TotalSeconds, Better.Higher),
                ];
            });
            warmUp = TimeSpan.Zero;
        }
    }

    private static async Task<(int Count, long Bytes, TimeSpan Elapsed)> AppendAsync(ServerUnderTest server, CorpusMessage[] messages, int clients, int total, TimeSpan limit, bool nagle, TimeSpan warmUp)
    {
        var started = -1;
        var done = 0;
        long bytes = 0;
        using var timeout = new CancellationTokenSource(limit + TimeSpan.FromMinutes(2));
        var connections = await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var imap = await ImapWire.ConnectAsync(server.ImapPort, timeout.Token, nagle: nagle);
            await imap.LoginAsync(User, ServerUnderTest.Password, timeout.Token);
            // Warm-up, not counted: the first appends of a process pay for JIT and caches.
            var warming = Stopwatch.StartNew();
            for (var i = 0; i < WarmUp || warming.Elapsed < warmUp; i++)
            {
                await imap.AppendAsync("INBOX", "", Unique(messages[i % messages.Length].Bytes), timeout.Token);
            }

            return imap;
        }));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(connections.Select(async imap =>
        {
            await using var connection = imap.Connection;
            int index;
            while (clock.Elapsed < limit && (index = Interlocked.Increment(ref started)) < total)
            {
                var message = Unique(messages[index % messages.Length].Bytes);
                await imap.AppendAsync("INBOX", "", message, timeout.Token);
                Interlocked.Increment(ref done);
                Interlocked.Add(ref bytes, message.Length);
            }

            await imap.CommandAsync("LOGOUT", timeout.Token);
        }));
        clock.Stop();
        return (done, bytes, clock.Elapsed);
    }

    /// <summary>The corpus message under a header line no other APPEND of the benchmark has: the runs cycle through
    /// the same corpus, and Rampart stores equal content once, so without it a later run would measure copies that
    /// cost no file write at all while Dovecot writes a file for each.</summary>
    private static byte[] Unique(byte[] message)
    {
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"X-Bench-Append: {Interlocked.Increment(ref appended)}\r\n"));
        return [.. header, .. message];
    }
}
