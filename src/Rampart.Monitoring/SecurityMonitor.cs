using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Monitoring.Alerts;
using Rampart.Monitoring.Audit;
using Rampart.Monitoring.Detection;
using Rampart.Monitoring.Events;
using Rampart.Monitoring.Metrics;
using Rampart.Monitoring.Sessions;

namespace Rampart.Monitoring;

/// <summary>
/// Everything monitoring, composed: the <see cref="Events"/> hub every layer raises into, and behind it the session
/// registry, metrics, audit log and detectors, in that order (the registry first, so that a detector looking up a
/// session's client id sees it). Alerts go to the sinks added to <see cref="Alerts"/>.
/// </summary>
public sealed class SecurityMonitor : IAsyncDisposable
{
    private readonly MonitoringOptions options;
    private readonly TimeProvider time;

    /// <param name="options">Settings.</param>
    /// <param name="auditDirectory">Where the audit log lives (<c>DATA/audit</c>); null for none.</param>
    /// <param name="stateDirectory">Where detector state lives (<c>DATA/monitoring</c>); null keeps it in memory.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="time">Clock (tests).</param>
    public SecurityMonitor(MonitoringOptions options, string? auditDirectory, string? stateDirectory, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.time = time ?? TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        var hub = new SecurityEventHub(loggerFactory.CreateLogger<SecurityEventHub>());
        Events = hub;
        Sessions = new SessionRegistry();
        Metrics = new MonitoringMetrics();
        Alerts = new AlertDispatcher(options.Alerts, hub, loggerFactory.CreateLogger<AlertDispatcher>());
        hub.Subscribe(Sessions);
        if (options.Enabled)
        {
            hub.Subscribe(Metrics);
        }

        if (auditDirectory is not null && options.Enabled && options.Audit.Enabled)
        {
            AuditLog = new AuditLog(auditDirectory, options.Audit, this.time, loggerFactory.CreateLogger<AuditLog>());
            hub.Subscribe(AuditLog);
        }

        if (options.Enabled && options.Detectors.Enabled)
        {
            var detectors = options.Detectors;
            NetworkHistory = stateDirectory is null ? NetworkHistory.InMemory() : NetworkHistory.Load(stateDirectory);
            hub.Subscribe(new ConnectionSpikeDetector(detectors, Alerts));
            hub.Subscribe(new FailedLoginDetector(detectors, Alerts));
            hub.Subscribe(new BandwidthDetector(detectors, Alerts));
            hub.Subscribe(new ManyNetworksDetector(detectors, Alerts));
            hub.Subscribe(new NewNetworkDetector(detectors, Alerts, NetworkHistory, Sessions));
        }
    }

    /// <summary>Raise every security event here.</summary>
    public SecurityEventHub Events { get; }

    public SessionRegistry Sessions { get; }

    public MonitoringMetrics Metrics { get; }

    public AlertDispatcher Alerts { get; }

    /// <summary>The audit log, or null when disabled.</summary>
    public AuditLog? AuditLog { get; }

    /// <summary>The new-network detector's history, or null when detectors are off.</summary>
    public NetworkHistory? NetworkHistory { get; }

    /// <summary>Starts the audit writer and the alert loop.</summary>
    public void Start()
    {
        AuditLog?.Start();
        Alerts.Start();
    }

    /// <summary>Writes detector state to disk (called periodically and at shutdown).</summary>
    public void SaveState() => NetworkHistory?.Save(time.GetUtcNow(), options.Detectors.NewNetworkLookback);

    public async ValueTask DisposeAsync()
    {
        await Alerts.DisposeAsync();
        if (AuditLog is not null)
        {
            await AuditLog.DisposeAsync();
        }

        SaveState();
    }
}
