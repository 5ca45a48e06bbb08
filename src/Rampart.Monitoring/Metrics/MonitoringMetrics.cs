using Rampart.Monitoring.Events;

namespace Rampart.Monitoring.Metrics;

/// <summary>
/// Rampart's metrics, fed by security events (subscribe it to the hub) and by <see cref="RecordCommand"/>, which
/// protocols call once per command. Served as <c>/metrics</c> on the admin listener.
/// </summary>
public sealed class MonitoringMetrics : ISecurityEvents
{
    private static readonly double[] LatencyBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly double[] SessionBuckets = [1, 10, 60, 300, 1800, 3600, 4 * 3600, 24 * 3600];
    private readonly Counter connections;
    private readonly Counter refused;
    private readonly Counter tlsFailures;
    private readonly Counter injections;
    private readonly Counter authentications;
    private readonly Counter bans;
    private readonly Counter limits;
    private readonly Counter bytes;
    private readonly Counter commands;
    private readonly Counter alerts;
    private readonly Histogram commandLatency;
    private readonly Histogram sessionDuration;
    private long open;

    public MonitoringMetrics(MetricsRegistry? registry = null)
    {
        Registry = registry ?? new MetricsRegistry();
        connections = Registry.Counter("rampart_connections_total", "Connections accepted, by protocol and TLS version.", "protocol", "tls");
        refused = Registry.Counter("rampart_connections_refused_total", "Connections refused before the protocol, by reason.", "reason");
        tlsFailures = Registry.Counter("rampart_tls_handshake_failures_total", "Failed TLS handshakes, by listener.", "listener");
        injections = Registry.Counter("rampart_starttls_injections_total", "Plaintext pipelined after STARTTLS and discarded, by protocol.", "protocol");
        authentications = Registry.Counter("rampart_authentications_total", "Login attempts, by protocol, mechanism and result.", "protocol", "mechanism", "result");
        bans = Registry.Counter("rampart_bans_total", "Bans applied.");
        limits = Registry.Counter("rampart_limit_hits_total", "Requests refused by a named limit.", "limit");
        bytes = Registry.Counter("rampart_bytes_total", "Octets moved, by protocol and direction (in = from clients).", "protocol", "direction");
        commands = Registry.Counter("rampart_commands_total", "Commands, by protocol, name and result.", "protocol", "command", "result");
        alerts = Registry.Counter("rampart_alerts_total", "Alerts raised by the detectors, by kind.", "kind");
        commandLatency = Registry.Histogram("rampart_command_duration_seconds", "Command latency, by protocol and name.", LatencyBuckets, "protocol", "command");
        sessionDuration = Registry.Histogram("rampart_session_duration_seconds", "Session length, by protocol.", SessionBuckets, "protocol");
        Registry.Gauge("rampart_connections_open", "Connections open now.", () => Interlocked.Read(ref open));
    }

    /// <summary>The registry to export (and to add gauges to, such as the store size).</summary>
    public MetricsRegistry Registry { get; }

    public bool IsEnabled => true;

    /// <summary>Counts one command. <paramref name="command"/> must be a name from the protocol's command table (or
    /// <c>unknown</c>), never raw client text; <paramref name="result"/> is ok, no, bad or error.</summary>
    public void RecordCommand(string protocol, string command, string result, TimeSpan elapsed)
    {
        commands.Inc(protocol, command, result);
        commandLatency.Observe(elapsed.TotalSeconds, protocol, command);
    }

    public void Raise(SecurityEvent securityEvent)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        switch (securityEvent)
        {
            case ConnectionAccepted e:
                Interlocked.Increment(ref open);
                connections.Inc(e.Protocol ?? "unknown", e.TlsVersion ?? "none");
                break;
            case ConnectionClosed e:
                Interlocked.Decrement(ref open);
                sessionDuration.Observe(e.Duration.TotalSeconds, e.Protocol ?? "unknown");
                break;
            case ConnectionRefused e:
                refused.Inc(e.Reason ?? "unknown");
                break;
            case TlsHandshakeFailed e:
                tlsFailures.Inc(e.Listener ?? "unknown");
                break;
            case StartTlsInjection e:
                injections.Inc(e.Protocol ?? "unknown");
                break;
            case AuthenticationSucceeded or AuthenticationFailed:
                authentications.Inc(securityEvent.Protocol ?? "unknown", securityEvent.Mechanism ?? "unknown", securityEvent.Result);
                break;
            case Banned:
                bans.Inc();
                break;
            case LimitHit e:
                limits.Inc(e.Limit);
                break;
            case DataTransferred e:
                bytes.Add(e.BytesIn, e.Protocol ?? "unknown", "in");
                bytes.Add(e.BytesOut, e.Protocol ?? "unknown", "out");
                break;
            case AlertRaised e:
                alerts.Inc(e.Alert);
                break;
            default:
                break;
        }
    }
}
