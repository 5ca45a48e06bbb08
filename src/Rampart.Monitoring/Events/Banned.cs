namespace Rampart.Monitoring.Events;

/// <summary>An address or network was banned (automatically by AuthGuard, or by an admin).</summary>
public sealed record Banned : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.Banned;

    /// <summary>The banned network in CIDR form (an IPv6 client is banned per /64).</summary>
    public string? Network { get; init; }

    /// <summary>When the ban ends; null for a permanent ban.</summary>
    public DateTimeOffset? Until { get; init; }
}
