namespace Rampart.Monitoring.Events;

/// <summary>A session ended; carries its totals.</summary>
public sealed record ConnectionClosed : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.ConnectionClosed;

    /// <summary>Octets received from the client, when the protocol counted them.</summary>
    public long BytesIn { get; init; }

    /// <summary>Octets sent to the client, when the protocol counted them.</summary>
    public long BytesOut { get; init; }

    /// <summary>How long the session lasted.</summary>
    public TimeSpan Duration { get; init; }
}
