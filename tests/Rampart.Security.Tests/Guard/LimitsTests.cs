using System.Net;
using Microsoft.Extensions.Time.Testing;
using Rampart.Security.Guard;

namespace Rampart.Security.Tests.Guard;

public class LimitsTests
{
    [Fact]
    public void C01_sessions_per_user_and_ip_are_capped_and_open_ones_are_untouched()
    {
        var limiter = new SessionLimiter();
        var client = IPAddress.Parse("2001:db8:5:6::1");
        var leases = Enumerable.Range(0, 10).Select(_ => limiter.TryAcquire("alice", client)).ToList();
        Assert.All(leases, Assert.NotNull);
        Assert.Null(limiter.TryAcquire("ALICE", IPAddress.Parse("2001:db8:5:6::99")));
        Assert.NotNull(limiter.TryAcquire("bob", client));
        Assert.Equal(10, limiter.SessionsOf("alice"));

        leases[0]!.Dispose();
        leases[0]!.Dispose();
        Assert.Equal(9, limiter.SessionsOf("alice"));
        Assert.NotNull(limiter.TryAcquire("alice", client));
        Assert.Null(limiter.TryAcquire("alice", client));
    }

    [Fact]
    public void C01_sessions_per_account_are_capped_across_clients()
    {
        var limiter = new SessionLimiter();
        for (var i = 0; i < 16; i++)
        {
            Assert.NotNull(limiter.TryAcquire("carol", IPAddress.Parse($"192.0.2.{i + 1}")));
        }

        Assert.Null(limiter.TryAcquire("carol", IPAddress.Parse("198.51.100.1")));
        Assert.Equal(16, limiter.SessionsOf("carol"));
    }

    [Fact]
    public void C01_parallel_acquires_never_exceed_the_limit()
    {
        var limiter = new SessionLimiter(perUserAndIp: 10, perAccount: 16);
        var granted = 0;
        Parallel.For(0, 200, i =>
        {
            if (limiter.TryAcquire("dave", IPAddress.Parse($"10.0.{i % 3}.1")) is not null)
            {
                Interlocked.Increment(ref granted);
            }
        });
        Assert.Equal(16, granted);
    }

    [Fact]
    public void C04_command_rate_limiter_allows_a_burst_then_paces()
    {
        var time = new FakeTimeProvider();
        var limiter = new CommandRateLimiter(burst: 5, perSecond: 10, time);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(TimeSpan.Zero, limiter.Take());
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.Take());
        Assert.Equal(1, limiter.Throttled);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, limiter.Take());
    }
}
