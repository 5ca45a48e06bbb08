using System.Diagnostics;
using System.Net;
using Rampart.Security.Guard;
using Rampart.Security.Passwords;
using Rampart.Server.Accounts;
using Rampart.Server.Configuration;
using Rampart.Server.Security;
using Rampart.Store.Sqlite;
using Xunit.Abstractions;

namespace Rampart.Server.Tests.Security;

/// <summary>
/// SECURITY.md E02: the time to refuse an unknown user, a wrong password, a disabled account and a locked (throttled)
/// account is the same — medians within 5 ms over 1,000 tries of each. The real login path IMAP LOGIN and POP3 PASS
/// take (<see cref="ConnectionPasswordVerifier"/> over <see cref="LoginAuthenticator"/>, the verified-login cache, the
/// hashing queue, the guard, known networks and access rules) over the real SQLite store, in process: the network
/// would only add noise that is not ours.
/// </summary>
/// <remarks>
/// <para>Argon2id runs at a lower cost than production's (4 MiB, 2 passes: a few milliseconds, so 4,000 tries fit a CI
/// run) through the same <see cref="PasswordHasher"/> class. What the test proves does not depend on the cost: the
/// accounts' hashes and the dummy hash for unknown names come from one hasher, so a path that skipped the hash or
/// hashed at another cost would stand out by the whole hash time (several ms at this cost).</para>
/// <para>The four kinds run interleaved, round-robin, so load from other processes on a shared machine falls on all of
/// them alike; medians, not means, so a pause of the collector or the scheduler does not move the figure.</para>
/// </remarks>
public sealed class LoginTimingTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Tries of each kind (SECURITY.md E02).</summary>
    private const int Tries = 1000;

    /// <summary>The largest difference allowed between two kinds' medians (SECURITY.md E02).</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(5);

    private const string Password = "Vivid-Lantern-Orbit-42";

    private readonly string path = Path.Combine(Path.GetTempPath(), "rampart-timing-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task E02_unknown_user_wrong_password_disabled_and_locked_take_the_same_time()
    {
        var data = DataDirectory.OpenOrCreate(path);
        await using var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = path });
        var hasher = new PasswordHasher(new Argon2Cost(4096, 2));
        using var security = new SecurityServices(data, store, data.ReadOrCreateSecret(), new SecuritySettings(), new AccountCredentials(store, hasher), hasher: hasher);
        foreach (var name in new[] { "alice", "dora", "lena" })
        {
            await store.CreateAccountAsync(name, [name + "@example.test"]);
            Assert.True((await security.Changer.ChangeAsync(name, Password, default)).IsAccepted);
        }

        await store.SetAccountEnabledAsync("dora", false);

        // Lock lena: the account throttle's threshold of failures, each from its own address.
        for (var i = 0; i < security.Guard.Options.AccountThrottleThreshold; i++)
        {
            var guess = await security.Login.ForConnection(IPAddress.Parse($"172.16.0.{i + 1}"), "imap").CheckAsync("lena", "guess-" + i, "LOGIN", default);
            Assert.Equal(Rampart.Security.Credentials.PasswordCheckOutcome.BadPassword, guess.Outcome);
        }

        // The refused attempts that carry the right secret are the hard cases: disabled and locked accounts.
        (string Kind, string User, string Password, LoginFailureReason Reason)[] kinds =
        [
            ("unknown user", "nobody", Password, LoginFailureReason.UnknownUser),
            ("wrong password", "alice", "Wrong-Lantern-Orbit-42", LoginFailureReason.BadPassword),
            ("disabled account", "dora", Password, LoginFailureReason.Disabled),
            ("locked account", "lena", Password, LoginFailureReason.AccountThrottled),
        ];
        var times = kinds.Select(_ => new List<double>(Tries)).ToArray();
        var order = Enumerable.Range(0, kinds.Length).ToArray();
        var shuffle = new Random(20261127);
        for (var i = 0; i < Tries; i++)
        {
            // A new order each round: a fixed one would hand the same kind every pause that follows a round (GC, other load).
            shuffle.Shuffle(order);
            foreach (var k in order)
            {
                // A fresh address per try: the guard's per-client delay and ban stay out of the measurement.
                var verifier = security.Login.ForConnection(new IPAddress([10, (byte)(i >> 8), (byte)i, (byte)(k + 1)]), "imap");
                var clock = Stopwatch.StartNew();
                await verifier.CheckAsync(kinds[k].User, kinds[k].Password, "LOGIN", default);
                clock.Stop();
                Assert.Equal(kinds[k].Reason, verifier.LastResult!.Reason);
                times[k].Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        var medians = times.Select(Median).ToArray();
        for (var k = 0; k < kinds.Length; k++)
        {
            output.WriteLine($"{kinds[k].Kind,-17} median {medians[k]:0.000} ms  p90 {Percentile(times[k], 0.9):0.000} ms");
        }

        Assert.True(
            medians.Max() - medians.Min() < Tolerance.TotalMilliseconds,
            "medians differ by more than 5 ms: " + string.Join(", ", kinds.Select((k, i) => $"{k.Kind} {medians[i]:0.000} ms")));
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }
}
