namespace Rampart.Monitoring.Events;

/// <summary>A detector raised an alert; recorded in the audit log so the log alone tells the whole story.</summary>
public sealed record AlertRaised : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.AlertRaised;

    public override string Result => "alert";

    /// <summary>The alert kind (see <c>Rampart.Monitoring.Alerts.AlertKind</c>).</summary>
    public required string Alert { get; init; }
}
