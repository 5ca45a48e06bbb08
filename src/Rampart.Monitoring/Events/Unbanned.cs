namespace Rampart.Monitoring.Events;

/// <summary>A ban ended: expired or lifted by an admin (<see cref="SecurityEvent.Reason"/> says which).</summary>
public sealed record Unbanned : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.Unbanned;

    /// <summary>The network in CIDR form.</summary>
    public string? Network { get; init; }
}
