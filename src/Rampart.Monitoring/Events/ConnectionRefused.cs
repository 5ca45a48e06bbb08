namespace Rampart.Monitoring.Events;

/// <summary>A connection was closed before reaching a protocol; <see cref="SecurityEvent.Reason"/> says which check
/// (access-denied, per-ip-limit, total-limit, bad-proxy-header, banned).</summary>
public sealed record ConnectionRefused : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.ConnectionRefused;

    public override string Result => "refused";
}
