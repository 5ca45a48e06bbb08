using System.Net;
using Microsoft.Extensions.Time.Testing;
using Rampart.Security.Guard;

namespace Rampart.Security.Tests.Guard;

/// <summary>SECURITY.md B05 under concurrency: failures from one address arriving in parallel at the ban threshold ban
/// it once, with one <see cref="AuthGuard.AutoBanned"/> event (one audit line, one count in bans_total).</summary>
public class ConcurrentBanTests
{
    [Fact]
    public void B05_parallel_failures_at_the_threshold_ban_once_with_one_event()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var store = new SlowBanStore();
        var guard = new AuthGuard(new AuthGuardOptions { BanThreshold = 5 }, time, store);
        var client = IPAddress.Parse("192.0.2.40");
        var events = 0;
        guard.AutoBanned += _ => Interlocked.Increment(ref events);

        // Four failures below the threshold, then 16 at once: each of them sees a count of at least 5.
        for (var i = 0; i < 4; i++)
        {
            guard.RecordFailure(client, "alice", "imap", "PLAIN", SecretFingerprint.Of("alice", "guess" + i));
        }

        using var start = new Barrier(16);
        var results = new BanEntry?[16];
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            start.SignalAndWait();
            results[i] = guard.RecordFailure(client, "alice", "imap", "PLAIN", SecretFingerprint.Of("alice", "parallel" + i));
        });

        Assert.Equal(1, events);
        Assert.Single(results, r => r is not null);
        Assert.Equal(1, store.Writes);
        Assert.True(guard.IsBanned(client));
    }

    /// <summary>A memory ban list whose writes take a while, as a file's do, so that parallel failures overlap them.</summary>
    private sealed class SlowBanStore : IBanStore
    {
        private readonly MemoryBanStore inner = new();
        private int writes;

        public int Writes => Volatile.Read(ref writes);

        public long ChangeStamp => inner.ChangeStamp;

        public IReadOnlyList<BanEntry> Load() => inner.Load();

        public IReadOnlyList<BanEntry> Update(Action<List<BanEntry>> change)
        {
            Interlocked.Increment(ref writes);
            Thread.Sleep(100);
            return inner.Update(change);
        }
    }
}
