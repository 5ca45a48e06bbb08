namespace Rampart.Monitoring.Events;

/// <summary>A TLS handshake (implicit or STARTTLS) failed or timed out (SECURITY.md L03).</summary>
public sealed record TlsHandshakeFailed : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.TlsHandshakeFailed;

    public override string Result => "fail";
}
