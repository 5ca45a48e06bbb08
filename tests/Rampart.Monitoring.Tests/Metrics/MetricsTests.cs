using System.Net;
using Rampart.Monitoring.Events;
using Rampart.Monitoring.Metrics;

namespace Rampart.Monitoring.Tests.Metrics;

public sealed class MetricsTests
{
    [Fact]
    public void Events_and_commands_become_prometheus_series()
    {
        var metrics = new MonitoringMetrics();
        var ip = IPAddress.Loopback;
        metrics.Raise(new ConnectionAccepted { Protocol = "imap", TlsVersion = "Tls13", ClientIp = ip });
        metrics.Raise(new AuthenticationFailed { Protocol = "imap", Mechanism = "PLAIN", ClientIp = ip });
        metrics.Raise(new AuthenticationSucceeded { Protocol = "imap", Mechanism = "PLAIN", ClientIp = ip });
        metrics.Raise(new DataTransferred { Protocol = "imap", BytesIn = 10, BytesOut = 2000 });
        metrics.Raise(new Banned { ClientIp = ip });
        metrics.RecordCommand("imap", "FETCH", "ok", TimeSpan.FromMilliseconds(3));
        metrics.Registry.Gauge("rampart_store_bytes", "Store size.", () => 12345);
        var text = metrics.Registry.Export();
        Assert.Contains("# TYPE rampart_connections_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("rampart_connections_total{protocol=\"imap\",tls=\"Tls13\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("rampart_authentications_total{protocol=\"imap\",mechanism=\"PLAIN\",result=\"fail\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("rampart_authentications_total{protocol=\"imap\",mechanism=\"PLAIN\",result=\"ok\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("rampart_bytes_total{protocol=\"imap\",direction=\"out\"} 2000\n", text, StringComparison.Ordinal);
        Assert.Contains("rampart_bans_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("rampart_command_duration_seconds_bucket{protocol=\"imap\",command=\"FETCH\",le=\"0.005\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("rampart_command_duration_seconds_bucket{protocol=\"imap\",command=\"FETCH\",le=\"+Inf\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("rampart_command_duration_seconds_count{protocol=\"imap\",command=\"FETCH\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("rampart_connections_open 1\n", text, StringComparison.Ordinal);
        Assert.Contains("rampart_store_bytes 12345\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_label_values_are_escaped_and_bounded()
    {
        var metrics = new MonitoringMetrics();
        metrics.Raise(new AuthenticationFailed { Protocol = "imap", Mechanism = "X\"}\nfake 1", ClientIp = IPAddress.Loopback });
        for (var i = 0; i < MetricsRegistry.MaxSeriesPerMetric + 500; i++)
        {
            metrics.Raise(new AuthenticationFailed { Protocol = "imap", Mechanism = "M" + i, ClientIp = IPAddress.Loopback });
        }

        var text = metrics.Registry.Export();
        Assert.Contains("mechanism=\"X\\\"}\\nfake 1\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\nfake 1", text, StringComparison.Ordinal);
        var series = text.Split('\n').Count(l => l.StartsWith("rampart_authentications_total{", StringComparison.Ordinal));
        Assert.Equal(MetricsRegistry.MaxSeriesPerMetric + 1, series);
        Assert.Contains("rampart_authentications_total{protocol=\"other\",mechanism=\"other\",result=\"other\"} 501", text, StringComparison.Ordinal);
    }
}
