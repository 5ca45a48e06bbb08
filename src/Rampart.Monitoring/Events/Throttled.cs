namespace Rampart.Monitoring.Events;

/// <summary>A login attempt was slowed down (per-IP delay or per-account throttle).</summary>
public sealed record Throttled : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.Throttled;

    public override string Result => "delayed";

    /// <summary>The delay applied.</summary>
    public TimeSpan Delay { get; init; }
}
