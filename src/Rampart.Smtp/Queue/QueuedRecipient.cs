namespace Rampart.Smtp.Queue;

/// <summary>One recipient of a queued message and what happened to it, recorded durably after every attempt.</summary>
public sealed class QueuedRecipient
{
    /// <summary>The forward path (RFC 5321 §4.1.2), without angle brackets.</summary>
    public required string Address { get; init; }

    public RecipientStatus Status { get; set; }

    /// <summary>The last reply or error for this recipient, e.g. <c>550 5.1.1 no such user</c>.</summary>
    public string? LastReply { get; set; }

    /// <summary>The enhanced status code of the outcome (RFC 3463), e.g. <c>5.1.1</c>; what a DSN reports.</summary>
    public string? StatusCode { get; set; }

    /// <summary>The server that gave the last reply (an MX host name), for the DSN's Remote-MTA.</summary>
    public string? RemoteHost { get; set; }

    /// <summary>When the recipient was delivered or given up.</summary>
    public DateTimeOffset? Completed { get; set; }

    /// <summary>True once the DSN for this failed recipient has been queued or delivered (never twice).</summary>
    public bool Notified { get; set; }
}
