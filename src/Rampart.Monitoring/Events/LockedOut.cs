namespace Rampart.Monitoring.Events;

/// <summary>An account refused password logins for a while (from unknown networks, SECURITY.md B04).</summary>
public sealed record LockedOut : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.LockedOut;

    public override string Result => "locked";

    /// <summary>When the lockout ends.</summary>
    public DateTimeOffset? Until { get; init; }
}
