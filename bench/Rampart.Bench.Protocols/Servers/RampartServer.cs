using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Rampart.Bench.Delivery.Corpus;
using Rampart.Store.Model;
using Rampart.Store.Sqlite;

namespace Rampart.Bench.Protocols.Servers;

/// <summary>The real <c>rampart serve</c> (rampart.dll next to the benchmark) as a child process, on loopback, with
/// its data directory in the benchmark's working folder.</summary>
/// <param name="dataDirectory">The data directory (created).</param>
/// <param name="portOffset">Listeners on 127.0.0.1 at this offset plus 993, 995, 465 and 24.</param>
/// <param name="settings">Extra settings (<c>Section:Key</c>), applied last.</param>
/// <param name="raiseLimits">Raise the per-address and per-account connection limits, as the protocol scenarios need;
/// false keeps the defaults (the account-security scenarios measure exactly those limits).</param>
/// <param name="name">The name in the tables: "Rampart", or e.g. "Rampart (Monitoring:Enabled=false)" for the B side
/// of <c>--ab</c>.</param>
internal sealed partial class RampartServer(string dataDirectory, int portOffset, IReadOnlyDictionary<string, string>? settings = null, bool raiseLimits = true, string name = "Rampart") : ServerUnderTest
{
    private readonly BlockingCollection<string> _lines = new();
    private Process? _process;

    public override string Name => name;

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "rampart.dll");

    public override async Task CreateUsersAsync(IReadOnlyList<string> users, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        // Each `user add` hashes a password (Argon2id): run a few at once, not all.
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 3, CancellationToken = cancellationToken }, async (user, token) =>
        {
            using var process = Start(["user", "add", user, "--password-stdin", "--data", dataDirectory], new Dictionary<string, string>());
            await process.StandardInput.WriteLineAsync(Password);
            process.StandardInput.Close();
            var error = process.StandardError.ReadToEndAsync(token);
            _ = process.StandardOutput.ReadToEndAsync(token);
            await process.WaitForExitAsync(token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"rampart user add {user} failed ({process.ExitCode}): {await error}");
            }
        });
    }

    /// <summary>Seeds in process through the store, the way <c>rampart deliver</c> would but without a process and an
    /// fsync per message (seeding is not what is measured; serve itself runs with fsync on).</summary>
    public override async Task SeedAsync(IReadOnlyList<string> users, IReadOnlyList<CorpusMessage> messages, CancellationToken cancellationToken)
    {
        await using var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = dataDirectory, Durable = false }, cancellationToken: cancellationToken);
        var targets = users.Select(u => new DeliveryTarget(u, null, MessageFlags.Empty)).ToArray();
        var next = -1;
        var workers = Enumerable.Range(0, 4).Select(async _ =>
        {
            // Messages keep their corpus order per worker; four workers keep the store's group commit busy.
            int index;
            while ((index = Interlocked.Increment(ref next)) < messages.Count)
            {
                using var stream = new MemoryStream(messages[index].Bytes, writable: false);
                var outcomes = await store.DeliverAsync(stream, targets, cancellationToken: cancellationToken);
                if (outcomes.FirstOrDefault(o => o.Error is not null) is { } failed)
                {
                    throw new InvalidOperationException($"seeding {failed.Target.Account} failed: {failed.Error}");
                }
            }
        });
        await Task.WhenAll(workers);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            ["RAMPART__Listeners__imaps__Endpoint"] = Endpoint(993),
            ["RAMPART__Listeners__pop3s__Endpoint"] = Endpoint(995),
            ["RAMPART__Listeners__submissions__Endpoint"] = Endpoint(465),
            ["RAMPART__Listeners__lmtp__Endpoint"] = Endpoint(24),
            ["RAMPART__Listeners__lmtp__Enabled"] = "true",
            // Detectors still run; their alert mail would land in the benchmark mailboxes and change the counts.
            ["RAMPART__Monitoring__Alerts__NotifyUsers"] = "false",
        };
        if (raiseLimits)
        {
            // The protocol scenarios open thousands of sessions for a handful of accounts from one address; the
            // defaults (20 unauthenticated connections per address, 16 sessions per account) exist to stop exactly that.
            environment["RAMPART__Limits__MaxConnectionsPerIp"] = "20000";
            environment["RAMPART__Limits__MaxConnections"] = "20000";
            environment["RAMPART__Security__SessionsPerAccount"] = "20000";
            environment["RAMPART__Security__SessionsPerUserAndIp"] = "20000";

            // The command-rate limit (SECURITY.md C04) paces one session to 200 commands a second once it has sent
            // 1,000: a one-client APPEND run passes that within seconds and would then measure the limit, not the
            // server (Dovecot has no such pacing). Off here; with defaults a session is paced as documented.
            environment["RAMPART__Limits__CommandsPerSecond"] = "0";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment["RAMPART__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        _process = Start(["serve", "--data", dataDirectory], environment);
        _process.StandardInput.Close();
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.CompleteAdding();
            }
            else
            {
                _lines.Add(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while ((ImapPort == 0 || Pop3Port == 0 || LmtpPort == 0) && DateTime.UtcNow < deadline)
        {
            if (!_lines.TryTake(out var line, 200, cancellationToken))
            {
                if (_lines.IsCompleted)
                {
                    break;
                }

                continue;
            }

            if (ListeningLine().Match(line) is { Success: true } match)
            {
                var port = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
                if (match.Groups[1].Value == "imaps")
                {
                    ImapPort = port;
                }
                else if (match.Groups[1].Value == "pop3s")
                {
                    Pop3Port = port;
                }
                else if (match.Groups[1].Value == "lmtp")
                {
                    LmtpPort = port;
                }
            }
        }

        if (ImapPort == 0 || Pop3Port == 0)
        {
            throw new InvalidOperationException("rampart serve did not report its imaps and pop3s listeners");
        }

        await Task.CompletedTask;
    }

    public int ProcessId => _process?.Id ?? 0;

    public override long MemoryKilobytes() => _process is null ? 0 : ProcessTree(_process.Id).Sum(PssKilobytes);

    public override double CpuSeconds() => _process is null ? 0 : CpuSecondsOf(ProcessTree(_process.Id));

    public override async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await kill.WaitForExitAsync();
                }

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }

            _process.Dispose();
        }

        _lines.Dispose();
    }

    private string Endpoint(int port) => "127.0.0.1:" + (portOffset + port).ToString(CultureInfo.InvariantCulture);

    private static Process Start(IEnumerable<string> args, Dictionary<string, string> environment)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Only the settings given here: a developer's RAMPART_* variables must not change what is measured.
        foreach (var variable in info.Environment.Keys.Where(k => k.StartsWith("RAMPART_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(variable);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start " + host);
    }

    [GeneratedRegex(@"^\s*listening\s+(\S+)\s+127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
