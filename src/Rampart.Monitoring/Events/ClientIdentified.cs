namespace Rampart.Monitoring.Events;

/// <summary>The client said what it is (IMAP ID, RFC 2971; or an SMTP EHLO name); shown in session lists and
/// "was this you?" notices.</summary>
public sealed record ClientIdentified : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.ClientIdentified;

    /// <summary>Name and version as the client sent them (hostile text: escaped and capped when written).</summary>
    public required string ClientId { get; init; }
}
