namespace Rampart.Monitoring.Events;

/// <summary>A named limit refused something: a session limit, line length, literal size, command rate…
/// (SECURITY.md C01–C04, M01–M03).</summary>
public sealed record LimitHit : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.LimitHit;

    public override string Result => "refused";

    /// <summary>The limit's configuration name, e.g. <c>MaxSessionsPerUserAndIp</c>.</summary>
    public required string Limit { get; init; }
}
