namespace Rampart.Monitoring.Events;

/// <summary>A login failed. <see cref="SecurityEvent.Reason"/> is the real reason (bad-credentials, unknown-user,
/// disabled, ip-rule, expired, 2fa-required, malformed), which the client never sees (SECURITY.md E01, I02).</summary>
public sealed record AuthenticationFailed : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.AuthenticationFailed;

    public override string Result => "fail";
}
