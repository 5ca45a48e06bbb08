namespace Rampart.Monitoring.Events;

/// <summary>Plaintext arrived pipelined after STARTTLS/STLS and was discarded (RFC 9051 §6.2.1, RFC 2595 §3.1;
/// SECURITY.md S01/S02): a sign of a command-injection attempt by someone on the path.</summary>
public sealed record StartTlsInjection : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.StartTlsInjection;

    public override string Result => "discarded";

    /// <summary>How many plaintext octets were thrown away (never their content).</summary>
    public long DiscardedBytes { get; init; }
}
