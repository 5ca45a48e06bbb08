using System.Net;
using Microsoft.Extensions.Time.Testing;
using Rampart.Security.Credentials;
using Rampart.Security.Guard;

namespace Rampart.Security.Tests.Guard;

public class AuthGuardTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private AuthGuard NewGuard(Action<AuthGuardOptions>? configure = null, IBanStore? bans = null)
    {
        var options = new AuthGuardOptions();
        configure?.Invoke(options);
        return new AuthGuard(options, time, bans);
    }

    private static IPAddress Ip(string text) => IPAddress.Parse(text);

    [Fact]
    public void B01_session_counter_trips_at_the_third_failure()
    {
        var session = new SessionFailureCounter();
        Assert.False(session.RecordFailure());
        Assert.False(session.RecordFailure());
        Assert.True(session.RecordFailure());
        Assert.True(session.MustDisconnect);
    }

    [Fact]
    public void B02_delays_grow_from_2_to_15_seconds()
    {
        var guard = NewGuard(o => o.BanThreshold = 1000);
        var client = Ip("192.0.2.10");
        Assert.Equal(AuthDecision.Allowed, guard.BeginAttempt(client, "alice", "imap", "PLAIN"));
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 10; i++)
        {
            guard.RecordFailure(client, "alice", "imap", "PLAIN", SecretFingerprint.Of("alice", "guess" + i));
            var decision = guard.BeginAttempt(client, "alice", "imap", "PLAIN");
            Assert.Equal(AuthVerdict.Delayed, decision.Verdict);
            delays.Add(decision.Delay);
        }

        Assert.Equal(TimeSpan.FromSeconds(2), delays[0]);
        Assert.Equal(TimeSpan.FromSeconds(3), delays[1]);
        for (var i = 1; i < delays.Count; i++)
        {
            Assert.True(delays[i] >= delays[i - 1]);
        }

        Assert.Equal(TimeSpan.FromSeconds(15), delays[^1]);
        Assert.All(delays, d => Assert.True(d <= TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public void B02_the_same_wrong_password_repeated_does_not_escalate()
    {
        var guard = NewGuard();
        var phone = Ip("198.51.100.4");
        var stale = SecretFingerprint.Of("bob", "old-password");
        for (var i = 0; i < 100; i++)
        {
            Assert.Null(guard.RecordFailure(phone, "bob", "imap", "LOGIN", stale));
        }

        Assert.Equal(1, guard.FailuresFrom(phone));
        Assert.Equal(TimeSpan.FromSeconds(2), guard.BeginAttempt(phone, "bob", "imap", "LOGIN").Delay);
        Assert.False(guard.IsBanned(phone));
        Assert.False(guard.IsAccountThrottled("bob", Ip("203.0.113.9"), CredentialKind.Password));
    }

    [Fact]
    public void B02_failures_age_out_of_the_window()
    {
        var guard = NewGuard();
        var client = Ip("192.0.2.11");
        guard.RecordFailure(client, "alice", "imap", "PLAIN", SecretFingerprint.Of("alice", "x"));
        time.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(AuthDecision.Allowed, guard.BeginAttempt(client, "alice", "imap", "PLAIN"));
    }

    [Fact]
    public void B03_one_ipv6_64_and_the_ipv4_mapped_form_share_a_counter()
    {
        var guard = NewGuard();
        guard.RecordFailure(Ip("2001:db8:1:2::1"), "a", "imap", "PLAIN", SecretFingerprint.Of("a", "1"));
        guard.RecordFailure(Ip("2001:db8:1:2:ffff::9"), "a", "pop3", "USER", SecretFingerprint.Of("a", "2"));
        Assert.Equal(2, guard.FailuresFrom(Ip("2001:db8:1:2:abcd::1")));
        Assert.Equal(0, guard.FailuresFrom(Ip("2001:db8:1:3::1")));

        guard.RecordFailure(Ip("::ffff:192.0.2.20"), "a", "imap", "PLAIN", SecretFingerprint.Of("a", "3"));
        Assert.Equal(1, guard.FailuresFrom(Ip("192.0.2.20")));
    }

    [Fact]
    public void B03_parallel_failures_all_count()
    {
        var guard = NewGuard(o => o.BanThreshold = 10_000);
        var client = Ip("192.0.2.30");
        Parallel.For(0, 400, i => guard.RecordFailure(client, "u" + (i % 7), "imap", "PLAIN", SecretFingerprint.Of("u", "p" + i)));
        Assert.Equal(400, guard.FailuresFrom(client));
    }

    [Fact]
    public void B04_many_ips_throttle_the_account_but_spare_the_owner()
    {
        var guard = NewGuard();
        var home = Ip("203.0.113.50");
        guard.RecordSuccess(home, "carol", "imap", "PLAIN", CredentialKind.Password);
        time.Advance(TimeSpan.FromDays(1));

        for (var i = 0; i < 200; i++)
        {
            var attacker = new IPAddress([10, 1, (byte)(i / 250), (byte)(i % 250 + 1)]);
            guard.RecordFailure(attacker, "Carol", "imap", "PLAIN", SecretFingerprint.Of("carol", "guess" + i));
            Assert.False(guard.IsBanned(attacker));
        }

        var stranger = Ip("198.51.100.77");
        Assert.True(guard.IsAccountThrottled("carol", stranger, CredentialKind.Password));
        Assert.True(guard.IsAccountThrottled("CAROL", Ip("10.9.9.9"), CredentialKind.Password));

        // The owner: from the home network (a new address in the same /24), or with an app password from anywhere.
        Assert.False(guard.IsAccountThrottled("carol", Ip("203.0.113.51"), CredentialKind.Password));
        Assert.False(guard.IsAccountThrottled("carol", stranger, CredentialKind.AppPassword));
        Assert.Equal(AuthDecision.Allowed, guard.BeginAttempt(home, "carol", "imap", "PLAIN"));

        // Other accounts are untouched, and the throttle lifts when the attack stops.
        Assert.False(guard.IsAccountThrottled("dave", stranger, CredentialKind.Password));
        time.Advance(TimeSpan.FromMinutes(16));
        Assert.False(guard.IsAccountThrottled("carol", stranger, CredentialKind.Password));
    }

    [Fact]
    public void B05_one_ip_spraying_500_users_is_banned_and_the_ban_expires()
    {
        var guard = NewGuard();
        var sprayer = Ip("192.0.2.66");
        BanEntry? ban = null;
        var fired = 0;
        guard.AutoBanned += _ => fired++;
        var tries = 0;
        for (var i = 0; i < 500 && ban is null; i++)
        {
            Assert.False(guard.BeginAttempt(sprayer, "user" + i, "pop3", "USER").IsBanned);
            ban = guard.RecordFailure(sprayer, "user" + i, "pop3", "USER", SecretFingerprint.Of("user" + i, "Summer2024!"));
            tries++;
        }

        Assert.NotNull(ban);
        Assert.Equal(20, tries);
        Assert.Equal(1, fired);
        Assert.True(guard.IsBanned(sprayer));
        Assert.True(guard.BeginAttempt(sprayer, "user999", "imap", "PLAIN").IsBanned);
        Assert.False(guard.IsBanned(Ip("192.0.2.67")));
        Assert.Single(guard.ListBans());

        time.Advance(TimeSpan.FromMinutes(61));
        Assert.False(guard.IsBanned(sprayer));
        Assert.Empty(guard.ListBans());
        Assert.Equal(AuthDecision.Allowed, guard.BeginAttempt(sprayer, "user0", "pop3", "USER"));
    }

    [Fact]
    public void B05_threshold_and_duration_are_configurable_and_ipv6_bans_cover_the_64()
    {
        var guard = NewGuard(o =>
        {
            o.BanThreshold = 3;
            o.BanDuration = TimeSpan.FromMinutes(5);
        });
        for (var i = 0; i < 3; i++)
        {
            guard.RecordFailure(Ip("2001:db8:aa:bb::" + (i + 1)), "x" + i, "imap", "PLAIN", SecretFingerprint.Of("x", i.ToString()));
        }

        Assert.True(guard.IsBanned(Ip("2001:db8:aa:bb:1:2:3:4")));
        Assert.Equal("2001:db8:aa:bb::/64", guard.ListBans()[0].Network);
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.False(guard.IsBanned(Ip("2001:db8:aa:bb:1:2:3:4")));
    }

    [Fact]
    public void Trusted_networks_are_never_delayed_or_banned()
    {
        var guard = NewGuard(o => o.TrustedNetworks.Add("10.0.0.0/8"));
        var office = Ip("::ffff:10.20.30.40");
        for (var i = 0; i < 50; i++)
        {
            Assert.Null(guard.RecordFailure(office, "u" + i, "imap", "PLAIN", SecretFingerprint.Of("u" + i, "p")));
        }

        Assert.False(guard.IsBanned(office));
        Assert.Equal(AuthDecision.Allowed, guard.BeginAttempt(office, "u", "imap", "PLAIN"));
        Assert.Throws<FormatException>(() => NewGuard(o => o.TrustedNetworks.Add("not-a-network")));
    }

    [Fact]
    public void B06_failures_add_up_across_protocols_and_mechanisms()
    {
        var guard = NewGuard();
        var client = Ip("192.0.2.90");
        guard.RecordFailure(client, "eve", "imap", "PLAIN", SecretFingerprint.Of("eve", "a"));
        guard.RecordFailure(client, "eve", "pop3", "USER", SecretFingerprint.Of("eve", "b"));
        guard.RecordFailure(client, "eve", "smtp", "SCRAM-SHA-256");
        guard.RecordFailure(client, null, "imap", "SCRAM-SHA-256-PLUS");
        Assert.Equal(4, guard.FailuresFrom(client));
        Assert.Equal(guard.Options.DelayAfter(4), guard.BeginAttempt(client, "eve", "smtp", "LOGIN").Delay);
    }

    [Fact]
    public void Success_clears_the_clients_counter()
    {
        var guard = NewGuard();
        var client = Ip("192.0.2.91");
        guard.RecordFailure(client, "f", "imap", "PLAIN", SecretFingerprint.Of("f", "a"));
        guard.RecordSuccess(client, "f", "imap", "PLAIN", CredentialKind.Password);
        Assert.Equal(AuthDecision.Allowed, guard.BeginAttempt(client, "f", "imap", "PLAIN"));
        Assert.True(guard.IsKnownNetwork("F", client));
    }

    [Fact]
    public void Admin_ban_and_unban_persist_in_the_file_and_are_seen_by_another_guard()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rampart-bans-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(dir, "guard", "bans.json");
            var cli = NewGuard(bans: new BanFile(path));
            var server = NewGuard(bans: new BanFile(path));
            Assert.False(server.IsBanned(Ip("192.0.2.200")));

            Assert.True(ClientNetworks.TryParse("192.0.2.0/24", out var network));
            cli.Ban(network, null, "admin: abuse");
            Assert.True(File.Exists(path));

            // The server re-reads within its reload interval.
            time.Advance(TimeSpan.FromSeconds(6));
            Assert.True(server.IsBanned(Ip("192.0.2.200")));
            Assert.True(new AuthGuard(new AuthGuardOptions(), time, new BanFile(path)).IsBanned(Ip("::ffff:192.0.2.1")));

            Assert.True(cli.Unban(network));
            Assert.False(cli.Unban(network));
            time.Advance(TimeSpan.FromSeconds(6));
            Assert.False(server.IsBanned(Ip("192.0.2.200")));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void A_damaged_ban_file_keeps_the_last_good_list()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rampart-bans-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(dir, "bans.json");
            var guard = NewGuard(bans: new BanFile(path));
            Assert.True(ClientNetworks.TryParse("192.0.2.5", out var one));
            guard.Ban(one, TimeSpan.FromHours(1), "test");
            File.WriteAllText(path, "{ not json");
            time.Advance(TimeSpan.FromSeconds(6));
            Assert.True(guard.IsBanned(Ip("192.0.2.5")));
            Assert.Throws<InvalidDataException>(() => new BanFile(path).Load());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Tracked_clients_are_bounded()
    {
        var guard = NewGuard(o => o.MaxTrackedKeys = 100);
        for (var i = 0; i < 1000; i++)
        {
            guard.RecordFailure(new IPAddress([10, 2, (byte)(i / 256), (byte)(i % 256)]), "u", "imap", "PLAIN");
        }

        var remembered = Enumerable.Range(0, 1000).Count(i => guard.FailuresFrom(new IPAddress([10, 2, (byte)(i / 256), (byte)(i % 256)])) > 0);
        Assert.InRange(remembered, 1, 101);
    }
}
