namespace Rampart.Monitoring.Events;

/// <summary>Octets moved on a session since its last report. Protocols raise it after large responses (FETCH, RETR)
/// or every few megabytes; it feeds metrics, the session list and the bandwidth detector, and is not audited
/// (see <see cref="SecurityEventKinds.IsAudited"/>).</summary>
public sealed record DataTransferred : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.DataTransferred;

    public long BytesIn { get; init; }

    public long BytesOut { get; init; }
}
