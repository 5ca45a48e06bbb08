using Rampart.Monitoring.Alerts;
using Rampart.Monitoring.Audit;
using Rampart.Monitoring.Detection;

namespace Rampart.Monitoring;

/// <summary>The <c>Monitoring</c> configuration section: audit log, detectors and alerts. Every setting has a default
/// that is safe to run with; docs/configuration.md lists them.</summary>
public sealed class MonitoringOptions
{
    public AuditOptions Audit { get; set; } = new();

    public DetectorOptions Detectors { get; set; } = new();

    public AlertOptions Alerts { get; set; } = new();
}
