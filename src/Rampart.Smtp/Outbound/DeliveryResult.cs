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
public sealed record DeliveryResult(string Recipient, DeliveryResultKind Kind, string StatusCode, string Reply, string? RemoteHost = null);
