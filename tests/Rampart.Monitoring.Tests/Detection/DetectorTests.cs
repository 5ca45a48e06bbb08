using System.Net;
using Rampart.Monitoring.Alerts;
using Rampart.Monitoring.Detection;
using Rampart.Monitoring.Events;
using Rampart.Monitoring.Tests.Alerts;

namespace Rampart.Monitoring.Tests.Detection;

public sealed class DetectorTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static (SecurityMonitor Monitor, AlertWatch Alerts) Create(DetectorOptions? detectors = null, string? state = null)
    {
        var options = new MonitoringOptions { Detectors = detectors ?? new DetectorOptions() };
        options.Alerts.MaxAlertsPerMinute = 1000;
        var monitor = new SecurityMonitor(options, auditDirectory: null, stateDirectory: state);
        var sink = new CollectingSink();
        monitor.Alerts.AddSink(sink);
        monitor.Start();
        return (monitor, new AlertWatch(monitor.Alerts, sink));
    }

    private static IPAddress Ip(int a, int b, int c, int d) => new([(byte)a, (byte)b, (byte)c, (byte)d]);

    /// <summary>A mixed, ordinary day: 30 users, each from a home and an office network, a few typos, 200 MB synced,
    /// two mail clients each. No detector may fire.</summary>
    private static void NormalTraffic(ISecurityEvents events, int seed)
    {
        var random = new Random(seed);
        var session = 0;
        for (var minute = 0; minute < 120; minute++)
        {
            var t = T0.AddMinutes(minute);
            for (var u = 0; u < 30; u++)
            {
                if (random.Next(10) != 0)
                {
                    continue;
                }

                var user = "user" + u;
                var ip = minute < 60 ? Ip(10, u, 1, 5) : Ip(172, 16, u, 9);
                var id = "n" + session++;
                events.Raise(new ConnectionAccepted { Time = t, SessionId = id, ClientIp = ip, Protocol = "imap" });
                if (random.Next(20) == 0)
                {
                    events.Raise(new AuthenticationFailed { Time = t, SessionId = id, ClientIp = ip, User = user, Reason = "bad-credentials" });
                }

                events.Raise(new AuthenticationSucceeded { Time = t, SessionId = id, ClientIp = ip, User = user, Mechanism = "PLAIN" });
                events.Raise(new DataTransferred { Time = t, SessionId = id, ClientIp = ip, User = user, BytesOut = random.Next(1, 20) * 1024 * 1024 });
                events.Raise(new ConnectionClosed { Time = t.AddSeconds(30), SessionId = id, ClientIp = ip, Protocol = "imap" });
            }
        }
    }

    [Fact]
    public async Task Normal_traffic_raises_nothing_after_the_baseline()
    {
        var (monitor, alerts) = Create();
        await using (monitor)
        {
            NormalTraffic(monitor.Events, 1);

            // The first hour taught the office network as "new" once per user (second network): that is the
            // "was this you?" case and is expected; nothing else may fire.
            Assert.All(alerts, a => Assert.Equal(AlertKind.NewNetwork, a.Kind));
            alerts.Clear();
            NormalTraffic(monitor.Events, 2);
            Assert.Empty(alerts);
        }
    }

    [Fact]
    public async Task Failed_login_burst_per_account_and_per_ip()
    {
        var (monitor, alerts) = Create(new DetectorOptions { FailedLoginsPerAccount = 10, FailedLoginsPerIp = 20 });
        await using (monitor)
        {
            // 10 different addresses × 1 failure on alice: account burst, no per-IP burst.
            for (var i = 0; i < 10; i++)
            {
                monitor.Events.Raise(new AuthenticationFailed { Time = T0.AddSeconds(i), ClientIp = Ip(203, 0, 113, i), User = "alice" });
            }

            var account = Assert.Single(alerts);
            Assert.Equal(AlertKind.FailedLoginBurst, account.Kind);
            Assert.Equal("alice", account.Account);

            // One address spraying 20 users: per-IP burst.
            for (var i = 0; i < 20; i++)
            {
                monitor.Events.Raise(new AuthenticationFailed { Time = T0.AddSeconds(i), ClientIp = Ip(198, 51, 100, 1), User = "u" + i });
            }

            Assert.Contains(alerts, a => a.Subject == "ip:198.51.100.1");
        }
    }

    [Fact]
    public async Task Failures_spread_beyond_the_window_stay_quiet()
    {
        var (monitor, alerts) = Create(new DetectorOptions { FailedLoginsPerAccount = 5, FailedLoginWindow = TimeSpan.FromMinutes(10) });
        await using (monitor)
        {
            for (var i = 0; i < 20; i++)
            {
                monitor.Events.Raise(new AuthenticationFailed { Time = T0.AddMinutes(i * 3), ClientIp = Ip(10, 0, 0, 1), User = "alice" });
            }

            Assert.Empty(alerts);
        }
    }

    [Fact]
    public async Task IPv6_failures_count_per_64()
    {
        var (monitor, alerts) = Create(new DetectorOptions { FailedLoginsPerIp = 5, FailedLoginsPerAccount = 0 });
        await using (monitor)
        {
            for (var i = 1; i <= 5; i++)
            {
                monitor.Events.Raise(new AuthenticationFailed { Time = T0, ClientIp = IPAddress.Parse("2001:db8:1:2::" + i), User = "u" + i });
            }

            Assert.Equal("ip:2001:db8:1:2::/64", Assert.Single(alerts).Subject);
        }
    }

    [Fact]
    public async Task Simultaneous_connections_per_ip_and_sessions_per_account()
    {
        var (monitor, alerts) = Create(new DetectorOptions { MaxConnectionsPerIp = 5, MaxSessionsPerAccount = 3 });
        await using (monitor)
        {
            // Open and close many times in sequence: never more than 1 at once, quiet.
            for (var i = 0; i < 50; i++)
            {
                monitor.Events.Raise(new ConnectionAccepted { Time = T0, SessionId = "q" + i, ClientIp = Ip(10, 0, 0, 1) });
                monitor.Events.Raise(new ConnectionClosed { Time = T0, SessionId = "q" + i, ClientIp = Ip(10, 0, 0, 1) });
            }

            Assert.Empty(alerts);
            for (var i = 0; i < 6; i++)
            {
                monitor.Events.Raise(new ConnectionAccepted { Time = T0, SessionId = "s" + i, ClientIp = Ip(10, 0, 0, 2) });
            }

            Assert.Equal("ip:10.0.0.2", Assert.Single(alerts).Subject);
            for (var i = 0; i < 4; i++)
            {
                monitor.Events.Raise(new AuthenticationSucceeded { Time = T0, SessionId = "s" + i, ClientIp = Ip(10, 0, 0, 2), User = "carol" });
            }

            Assert.Contains(alerts, a => a.Subject == "account:CAROL" && a.Kind == AlertKind.ConnectionSpike);
        }
    }

    [Fact]
    public async Task Bandwidth_spike_per_account()
    {
        var (monitor, alerts) = Create(new DetectorOptions { BandwidthBytesPerAccount = 100 * 1024 * 1024 });
        await using (monitor)
        {
            for (var i = 0; i < 9; i++)
            {
                monitor.Events.Raise(new DataTransferred { Time = T0.AddSeconds(i), User = "dave", BytesOut = 10 * 1024 * 1024 });
            }

            Assert.Empty(alerts);
            monitor.Events.Raise(new DataTransferred { Time = T0.AddSeconds(10), User = "dave", BytesOut = 11 * 1024 * 1024 });
            var alert = Assert.Single(alerts);
            Assert.Equal(AlertKind.BandwidthSpike, alert.Kind);
            Assert.Equal("dave", alert.Account);
        }
    }

    [Fact]
    public async Task Many_networks_within_minutes()
    {
        var (monitor, alerts) = Create(new DetectorOptions { NetworksPerAccount = 4, NewNetworkLookback = TimeSpan.Zero });
        await using (monitor)
        {
            // Three addresses of one /24 are one network.
            for (var i = 0; i < 3; i++)
            {
                monitor.Events.Raise(new AuthenticationSucceeded { Time = T0, ClientIp = Ip(192, 0, 2, i), User = "erin" });
            }

            monitor.Events.Raise(new AuthenticationSucceeded { Time = T0.AddMinutes(1), ClientIp = Ip(198, 51, 100, 1), User = "erin" });
            monitor.Events.Raise(new AuthenticationSucceeded { Time = T0.AddMinutes(2), ClientIp = Ip(203, 0, 113, 1), User = "erin" });
            Assert.Empty(alerts);
            monitor.Events.Raise(new AuthenticationSucceeded { Time = T0.AddMinutes(3), ClientIp = IPAddress.Parse("2001:db8::1"), User = "erin" });
            Assert.Equal(AlertKind.ManyNetworks, Assert.Single(alerts).Kind);
        }
    }

    [Fact]
    public async Task New_network_after_the_baseline_and_persisted_across_restarts()
    {
        using var dir = new TempDirectory();
        var (monitor, alerts) = Create(state: dir.Path);
        await using (monitor)
        {
            monitor.Events.Raise(new AuthenticationSucceeded { Time = T0, ClientIp = Ip(192, 0, 2, 10), User = "frank" });
            monitor.Events.Raise(new AuthenticationSucceeded { Time = T0.AddDays(1), ClientIp = Ip(192, 0, 2, 99), User = "frank" });
            Assert.Empty(alerts);
        }

        Assert.True(File.Exists(Path.Combine(dir.Path, NetworkHistory.FileName)));
        var (second, alerts2) = Create(state: dir.Path);
        await using (second)
        {
            // Known network, still quiet after a restart; a new one fires, asking the user.
            second.Events.Raise(new AuthenticationSucceeded { Time = T0.AddDays(2), ClientIp = Ip(192, 0, 2, 1), User = "frank" });
            Assert.Empty(alerts2);
            second.Events.Raise(new AuthenticationSucceeded { Time = T0.AddDays(2), ClientIp = Ip(198, 51, 100, 7), User = "frank", Protocol = "imap" });
            var alert = Assert.Single(alerts2);
            Assert.Equal(AlertKind.NewNetwork, alert.Kind);
            Assert.True(alert.NotifyUser);
            Assert.Equal("198.51.100.0/24", alert.Network);

            // A network last used more than 90 days ago counts as new again.
            second.Events.Raise(new AuthenticationSucceeded { Time = T0.AddDays(200), ClientIp = Ip(192, 0, 2, 1), User = "frank" });
            Assert.Equal(2, alerts2.Count);
        }
    }

    /// <summary>The alerts delivered so far (waits for the dispatcher's loop to hand them over).</summary>
    private sealed class AlertWatch(AlertDispatcher dispatcher, CollectingSink sink) : IEnumerable<Alert>
    {
        public int Count => Snapshot().Count;

        public void Clear()
        {
            Snapshot();
            sink.Received.Clear();
        }

        public IEnumerator<Alert> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private List<Alert> Snapshot()
        {
            dispatcher.DrainAsync().GetAwaiter().GetResult();
            return [.. sink.Received];
        }
    }
}
