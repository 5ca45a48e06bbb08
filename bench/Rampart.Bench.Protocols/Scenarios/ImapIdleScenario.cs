using System.Diagnostics;
using System.Globalization;
using Rampart.Bench.Protocols.Clients;
using Rampart.Bench.Protocols.Reporting;
using Rampart.Bench.Protocols.Servers;

namespace Rampart.Bench.Protocols.Scenarios;

/// <summary>Many sessions logged in and in IDLE on one mailbox (issue 3, scenario 2): the server's memory per
/// session (PSS growth over the idle baseline, all processes summed) and the time from an APPEND's completion until
/// every session has seen the new message's EXISTS (RFC 2177).</summary>
internal static class ImapIdleScenario
{
    public const string User = "idle";

    public static async Task RunAsync(ScenarioContext context)
    {
        var message = context.Corpus.GenerateOne(7000);
        foreach (var sessions in context.Options.IdleSessions)
        {
            await context.CompareAsync(string.Create(CultureInfo.InvariantCulture, $"IMAP IDLE, {sessions:#,0} sessions"), async server =>
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                var before = server.MemoryKilobytes();
                var idle = new List<(ImapWire Wire, string Tag)>(sessions);
                var setup = Stopwatch.StartNew();
                try
                {
                    var next = -1;
                    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
                    // Sixteen at a time: logins are admitted in parallel, but neither server should be judged on a
                    // burst of thousands of simultaneous TLS handshakes.
                    await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
                    {
                        while (Interlocked.Increment(ref next) < sessions)
                        {
                            var imap = await ImapWire.ConnectAsync(server.ImapPort, timeout.Token);
                            await imap.LoginAsync(User, ServerUnderTest.Password, timeout.Token);
                            await imap.CommandAsync("SELECT INBOX", timeout.Token);
                            var tag = await imap.StartIdleAsync(timeout.Token);
                            lock (idle)
                            {
                                idle.Add((imap, tag));
                            }
                        }
                    }));
                    setup.Stop();
                    Console.Error.WriteLine($"    {server.Name}: {sessions} sessions in IDLE after {setup.Elapsed.TotalSeconds:0.0} s");
                    await Task.Delay(TimeSpan.FromSeconds(3));
                    var after = server.MemoryKilobytes();
                    if (server is DovecotServer dovecot)
                    {
                        Console.Error.WriteLine($"    Dovecot processes: {dovecot.CountProcesses("imap")} imap, {dovecot.CountProcesses("imap-login")} imap-login");
                    }

                    // The clock starts when the APPEND is acknowledged: from then on the message is there to be told.
                    var waiting = idle.Select(s => s.Wire.WaitForUntaggedAsync("EXISTS", timeout.Token)).ToList();
                    var appender = await ImapWire.ConnectAsync(server.ImapPort, timeout.Token);
                    await using (appender.Connection)
                    {
                        await appender.LoginAsync(User, ServerUnderTest.Password, timeout.Token);
                        await appender.AppendAsync("INBOX", "", message.Bytes, timeout.Token);
                    }

                    var notify = Stopwatch.StartNew();
                    var all = Task.WhenAll(waiting);
                    var reached = await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(90))) == all;
                    notify.Stop();
                    var seen = waiting.Count(t => t.IsCompletedSuccessfully);
                    if (!reached)
                    {
                        Console.Error.WriteLine($"    {server.Name}: only {seen} of {sessions} sessions saw the APPEND within 90 s");
                    }

                    return
                    [
                        ("memory per session, KB (PSS)", (after - before) / (double)sessions, Better.Lower),
                        ("server memory with all sessions, MB (PSS)", after / 1024.0, Better.Lower),
                        ("APPEND seen by all sessions, ms", reached ? notify.Elapsed.TotalMilliseconds : double.NaN, Better.Lower),
                        ("sessions set up per second", sessions / setup.Elapsed.TotalSeconds, Better.Higher),
                    ];
                }
                finally
                {
                    await Parallel.ForEachAsync(idle, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (s, _) => await s.Wire.Connection.DisposeAsync());
                }
            });
        }
    }
}
