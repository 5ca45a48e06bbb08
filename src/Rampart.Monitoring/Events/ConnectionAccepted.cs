namespace Rampart.Monitoring.Events;

/// <summary>A connection passed the gate (IP rules, bans, limits) and the TLS handshake, and reached its protocol.</summary>
public sealed record ConnectionAccepted : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.ConnectionAccepted;
}
