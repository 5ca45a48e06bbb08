namespace Rampart.Smtp.Outbound;

/// <summary>How one recipient fared in one attempt.</summary>
public enum DeliveryResultKind
{
    /// <summary>Accepted (250 after the data, or stored locally).</summary>
    Delivered,

    /// <summary>Try again later (4xx, connection or DNS trouble).</summary>
    Transient,

    /// <summary>Give up (5xx, null MX, no such domain).</summary>
    Permanent,
}

/// <summary>The outcome for one recipient: the reply (or error) and its enhanced status code (RFC 3463).</summary>
/// <param name="Recipient">The forward path.</param>
/// <param name="Kind">Delivered, transient or permanent.</param>
/// <param name="StatusCode">The enhanced status code.</param>
/// <param name="Reply">The reply or error text.</param>
/// <param name="RemoteHost">The server that answered; null for local delivery.</param>
/// <param name="DsnPassedOn">True when the next hop offered DSN and got the sender's DSN parameters (RFC 3461 §5.2):
/// from then on it reports, so a success is not reported as "relayed" here.</param>
public sealed record DeliveryResult(string Recipient, DeliveryResultKind Kind, string StatusCode, string Reply, string? RemoteHost = null, bool DsnPassedOn = false);
