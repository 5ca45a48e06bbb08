using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Rampart.Server.Tests.Crash;

/// <summary>Kills <c>rampart deliver</c> processes with SIGKILL at random moments and checks the store's promise
/// (ARCHITECTURE.md, Durability): a delivery that exited 0 is there, once, byte-exact; one that was killed is
/// either there whole or not at all; the store opens cleanly and the sweep leaves no stray files.</summary>
/// <remarks>SIGKILL stops the process, not the kernel: data the process wrote is still in the page cache, so this
/// tests the ordering of writes, renames and commits (no visible message without its whole blob, no acknowledgement
/// before the commit) rather than the fsyncs themselves, which only a power cut would test.</remarks>
[Trait("Category", "Crash")]
public sealed class DeliveryCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Rounds = 50;
    private const int ProcessesPerRound = 3;
    private const int InspectEvery = 10;

    // Kill delays are drawn from 0 to this, or to 1.25 × a warm-up delivery's duration when that is longer, so that
    // kills land across the whole life of a delivery (start-up, reading input, blob write, commit) on slow machines too.
    private const int MaxKillDelayMs = 400;

    // One process in four is left to finish, so that acknowledged deliveries happen under the same contention.
    private const double LetFinishShare = 0.25;
    private const int Seed = 20240108;
    private const string Password = "Crash-Test-Passw0rd!";

    /// <summary>SIGKILL as .NET reports it: 128 + 9.</summary>
    private const int KilledExitCode = 137;

    private readonly string data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "rampart-crash-" + Guid.NewGuid().ToString("N"))).FullName;

    [Fact]
    public async Task Killed_deliveries_leave_acknowledged_mail_whole_and_nothing_partial()
    {
        var (code, _, error) = await RampartProcess.RunAsync(Password + "\n", "user", "add", "alice", "--password-stdin", "--data", data);
        Assert.True(code == 0, $"rampart user add exited {code}: {error}");

        var random = new Random(Seed);
        var sent = new Dictionary<string, CrashMessage>(StringComparer.Ordinal);
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<string>();
        int killed = 0, killedAfterAck = 0, finished = 0;
        var visible = 0;

        var warmUp = CrashMessage.Create(random, -1, 0);
        sent.Add(warmUp.Hash, warmUp);
        var first = await DeliverAsync(warmUp, killAfterMs: null);
        Assert.True(first.ExitCode == 0, $"rampart deliver exited {first.ExitCode}: {first.Error}");
        acknowledged.Add(warmUp.Hash);
        finished++;
        var maxDelay = Math.Max(MaxKillDelayMs, (int)(first.Elapsed.TotalMilliseconds * 1.25));
        output.WriteLine($"seed {Seed}, data {data}; warm-up delivery took {first.Elapsed.TotalMilliseconds:0} ms; kill delays 0–{maxDelay} ms");
        for (var round = 0; round < Rounds; round++)
        {
            var slots = Enumerable.Range(0, ProcessesPerRound).Select(slot =>
            {
                var message = CrashMessage.Create(random, round, slot);
                int? killAfter = random.NextDouble() < LetFinishShare ? null : random.Next(0, maxDelay + 1);
                return (Message: message, KillAfter: killAfter);
            }).ToList();
            foreach (var slot in slots)
            {
                sent.Add(slot.Message.Hash, slot.Message);
            }

            var outcomes = await Task.WhenAll(slots.Select(s => DeliverAsync(s.Message, s.KillAfter)));
            for (var i = 0; i < outcomes.Length; i++)
            {
                var (message, killAfter) = slots[i];
                var outcome = outcomes[i];
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round} slot {i}: {message.Bytes.Length,6} bytes, {(killAfter is { } d ? $"kill at {d,3} ms" : "let finish "),-12} → exit {outcome.ExitCode} after {outcome.Elapsed.TotalMilliseconds:0} ms{(outcome.Killed ? " (killed)" : string.Empty)}"));
                if (outcome.ExitCode == 0)
                {
                    // Acknowledged: the process said the message was durable before anything stopped it.
                    acknowledged.Add(message.Hash);
                    finished++;
                    killedAfterAck += outcome.Killed ? 1 : 0;
                }
                else if (outcome.Killed && outcome.ExitCode == KilledExitCode)
                {
                    killed++;
                }
                else
                {
                    failures.Add($"round {round} slot {i} ({message.MessageId}): exit {outcome.ExitCode} without being killed: {outcome.Error.Trim()}");
                }
            }

            if ((round + 1) % InspectEvery == 0 || round == Rounds - 1)
            {
                var report = await StoreInspection.InspectAsync(data, sent, acknowledged);
                visible = report.Visible;
                output.WriteLine($"after round {round}: {sent.Count} sent, {acknowledged.Count} acknowledged, {report.Visible} visible, {report.Problems.Count} problems");
                failures.AddRange(report.Problems.Select(p => $"after round {round}: {p}"));
                Assert.True(failures.Count == 0, string.Join('\n', failures));
            }
        }

        output.WriteLine($"rounds {Rounds}, processes {sent.Count} (with the warm-up), killed {killed}, acknowledged {acknowledged.Count} (of which {killedAfterAck} finished just before their kill), visible {visible} (killed yet committed: {visible - acknowledged.Count})");
        Assert.Empty(failures);
        // The test must exercise both sides: kills that interrupted work and deliveries that completed.
        Assert.True(killed > 0, "no delivery was interrupted");
        Assert.True(acknowledged.Count > 0, "no delivery completed");
        Assert.True(finished == acknowledged.Count);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not turn a passing test red.
        }
    }

    private async Task<DeliveryOutcome> DeliverAsync(CrashMessage message, int? killAfterMs)
    {
        var stopwatch = Stopwatch.StartNew();
        using var process = RampartProcess.StartRaw(["deliver", "--to", "alice", "--data", data]);
        var error = process.StandardError.ReadToEndAsync();
        var drain = process.StandardOutput.ReadToEndAsync();
        var feed = FeedAsync(process, message.Bytes);
        var exited = process.WaitForExitAsync();
        var killed = false;
        if (killAfterMs is { } delay && await Task.WhenAny(exited, Task.Delay(delay)) != exited)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                killed = true;
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill: its exit code says what happened.
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        await feed;
        await drain;
        return new DeliveryOutcome(process.ExitCode, killed, stopwatch.Elapsed, await error);
    }

    private static async Task FeedAsync(Process process, byte[] bytes)
    {
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(bytes);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Broken pipe: the process was killed while reading its input.
        }
    }

    private sealed record DeliveryOutcome(int ExitCode, bool Killed, TimeSpan Elapsed, string Error);
}
