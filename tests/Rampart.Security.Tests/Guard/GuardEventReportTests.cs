using System.Net;
using Microsoft.Extensions.Time.Testing;
using Rampart.Security.Credentials;
using Rampart.Security.Guard;

namespace Rampart.Security.Tests.Guard;

/// <summary>Issue 7: the guard reports each throttle step, each account-throttle engagement and each expired ban once,
/// so the audit log shows them without one line per guess.</summary>
public class GuardEventReportTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private static IPAddress Ip(string text) => IPAddress.Parse(text);

    [Fact]
    public void Each_delay_step_is_claimed_once_and_a_success_starts_over()
    {
        var guard = new AuthGuard(new AuthGuardOptions { BanThreshold = 1000 }, time);
        var client = Ip("192.0.2.10");
        Assert.False(guard.ClaimThrottleReport(client, TimeSpan.Zero));

        var claimed = new List<TimeSpan>();
        for (var i = 0; i < 12; i++)
        {
            guard.RecordFailure(client, "alice", "imap", "PLAIN", SecretFingerprint.Of("alice", "guess" + i));
            var delay = guard.BeginAttempt(client, "alice", "imap", "PLAIN").Delay;
            if (guard.ClaimThrottleReport(client, delay))
            {
                claimed.Add(delay);
            }

            Assert.False(guard.ClaimThrottleReport(client, delay));
        }

        Assert.Equal(claimed.Distinct().Order(), claimed);
        Assert.Equal(TimeSpan.FromSeconds(2), claimed[0]);
        Assert.Equal(TimeSpan.FromSeconds(15), claimed[^1]);
        Assert.True(claimed.Count < 12);

        guard.RecordSuccess(client, "alice", "imap", "PLAIN", CredentialKind.Password);
        guard.RecordFailure(client, "alice", "imap", "PLAIN", SecretFingerprint.Of("alice", "again"));
        Assert.True(guard.ClaimThrottleReport(client, guard.BeginAttempt(client, "alice", "imap", "PLAIN").Delay));
    }

    [Fact]
    public void The_account_throttle_is_claimed_once_per_engagement_with_when_it_lifts()
    {
        var guard = new AuthGuard(new AuthGuardOptions { AccountThrottleThreshold = 3, AccountWindow = TimeSpan.FromMinutes(15) }, time);
        Assert.False(guard.ClaimLockoutReport("alice", out _));
        var start = time.GetUtcNow();
        for (var i = 0; i < 3; i++)
        {
            guard.RecordFailure(Ip($"198.51.100.{i + 1}"), "alice", "imap", "PLAIN", SecretFingerprint.Of("alice", "g" + i));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.True(guard.IsAccountThrottled("Alice", Ip("203.0.113.5"), CredentialKind.Password));
        Assert.True(guard.ClaimLockoutReport("Alice", out var until));
        Assert.Equal(start + TimeSpan.FromMinutes(15), until);
        Assert.False(guard.ClaimLockoutReport("alice", out _));
        guard.RecordFailure(Ip("198.51.100.9"), "alice", "imap", "PLAIN", SecretFingerprint.Of("alice", "g9"));
        Assert.False(guard.ClaimLockoutReport("alice", out _));

        // The window passes: the engagement ends, and a new one is reported again.
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.False(guard.ClaimLockoutReport("alice", out _));
        for (var i = 0; i < 3; i++)
        {
            guard.RecordFailure(Ip($"198.51.100.{i + 20}"), "alice", "imap", "PLAIN", SecretFingerprint.Of("alice", "h" + i));
        }

        Assert.True(guard.ClaimLockoutReport("alice", out _));
    }

    [Fact]
    public void An_expired_ban_is_reported_once_when_the_guard_notices_it()
    {
        var guard = new AuthGuard(new AuthGuardOptions(), time);
        var expired = new List<BanEntry>();
        guard.BanExpired += expired.Add;
        guard.Ban(IPNetwork.Parse("192.0.2.0/24"), TimeSpan.FromMinutes(10), "test");
        guard.Ban(IPNetwork.Parse("198.51.100.0/24"), null, "forever");

        Assert.True(guard.IsBanned(Ip("192.0.2.1")));
        Assert.Empty(expired);

        time.Advance(TimeSpan.FromMinutes(11));
        Assert.False(guard.IsBanned(Ip("192.0.2.1")));
        Assert.False(guard.IsBanned(Ip("203.0.113.1")));
        var entry = Assert.Single(expired);
        Assert.Equal("192.0.2.0/24", entry.Network);

        // A later ban drops the expired entry from the file; it is not reported a second time.
        guard.Ban(IPNetwork.Parse("203.0.113.0/24"), TimeSpan.FromMinutes(1), "other");
        Assert.Single(expired);

        // One that expires while nobody connects is still reported when the next ban rewrites the list.
        time.Advance(TimeSpan.FromMinutes(2));
        guard.Ban(IPNetwork.Parse("203.0.114.0/24"), TimeSpan.FromMinutes(1), "third");
        Assert.Equal(["192.0.2.0/24", "203.0.113.0/24"], expired.Select(e => e.Network));
    }
}
