using Rampart.Monitoring.Alerts;
using Rampart.Monitoring.Audit;
using Rampart.Monitoring.Detection;

namespace Rampart.Monitoring;

/// <summary>The <c>Monitoring</c> configuration section: audit log, detectors and alerts. Every setting has a default
/// that is safe to run with; docs/configuration.md lists them.</summary>
public sealed class MonitoringOptions
{
    /// <summary>
    /// Monitoring as a whole (default true). False leaves only the session registry (<c>rampart sessions</c> still
    /// works): no audit log, no metrics, no detectors, so no alerts. It exists to measure what monitoring costs
    /// (docs/benchmarks.md); <c>rampart security audit</c> FAILs it, because attacks then leave no trail.
    /// </summary>
    public bool Enabled { get; set; } = true;

    public AuditOptions Audit { get; set; } = new();

    public DetectorOptions Detectors { get; set; } = new();

    public AlertOptions Alerts { get; set; } = new();
}
