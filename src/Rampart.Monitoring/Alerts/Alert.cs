using System.Net;

namespace Rampart.Monitoring.Alerts;

/// <summary>Something a detector wants a person to look at.</summary>
/// <param name="Kind">What was seen.</param>
/// <param name="Time">When (UTC).</param>
/// <param name="Subject">What it is about, for deduplication: an account name or an address, e.g. <c>account:alice</c>.</param>
/// <param name="Summary">One line for people, e.g. "12 failed logins for alice in 10 minutes".</param>
public sealed record Alert(AlertKind Kind, DateTimeOffset Time, string Subject, string Summary)
{
    /// <summary>The account concerned, when there is one.</summary>
    public string? Account { get; init; }

    /// <summary>The client address concerned, when there is one.</summary>
    public IPAddress? ClientIp { get; init; }

    /// <summary>The network (CIDR) concerned, for network alerts.</summary>
    public string? Network { get; init; }

    /// <summary>The protocol of the triggering session.</summary>
    public string? Protocol { get; init; }

    /// <summary>The triggering session's id (to end it with <c>rampart sessions kill</c>).</summary>
    public string? SessionId { get; init; }

    /// <summary>What the client said it is (IMAP ID), when known.</summary>
    public string? ClientId { get; init; }

    /// <summary>Whether the account's owner should be asked "was this you?" (new network or device).</summary>
    public bool NotifyUser { get; init; }

    /// <summary>The stable name of <see cref="Kind"/>: connection-spike, bandwidth-spike, failed-login-burst,
    /// many-networks, new-network.</summary>
    public string KindName => Kind switch
    {
        AlertKind.ConnectionSpike => "connection-spike",
        AlertKind.BandwidthSpike => "bandwidth-spike",
        AlertKind.FailedLoginBurst => "failed-login-burst",
        AlertKind.ManyNetworks => "many-networks",
        AlertKind.NewNetwork => "new-network",
        _ => "unknown",
    };
}
