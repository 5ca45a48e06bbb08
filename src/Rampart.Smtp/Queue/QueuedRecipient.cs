using Rampart.Smtp.Dsn;

namespace Rampart.Smtp.Queue;

/// <summary>One recipient of a queued message and what happened to it, recorded durably after every attempt.</summary>
public sealed class QueuedRecipient
{
    /// <summary>The forward path (RFC 5321 §4.1.2), without angle brackets.</summary>
    public required string Address { get; init; }

    public RecipientStatus Status { get; set; }

    /// <summary>The local account this recipient was resolved to when it was queued (<see cref="IOutboundQueue.EnqueueLocalAsync"/>);
    /// null when the queue resolves the address itself. Older envelopes lack it and read as null.</summary>
    public string? Account { get; set; }

    /// <summary>The mailbox of <see cref="Account"/> to deliver into (a <c>+tag</c> folder, Junk); null for INBOX.</summary>
    public string? Mailbox { get; set; }

    /// <summary>NOTIFY of the RCPT (RFC 3461 §4.1); <see cref="DsnNotify.None"/> when not given (failures are reported).</summary>
    public DsnNotify Notify { get; init; }

    /// <summary>The ORCPT address type (e.g. <c>rfc822</c>); null when not given.</summary>
    public string? OriginalRecipientType { get; init; }

    /// <summary>The ORCPT address, decoded (RFC 3461 §4.2); echoed as Original-Recipient and passed on.</summary>
    public string? OriginalRecipient { get; init; }

    /// <summary>True once the delay report for this recipient has been sent (never twice).</summary>
    public bool DelayNotified { get; set; }

    /// <summary>True once the server that accepted this recipient offered DSN and got its parameters (RFC 3461 §5.2):
    /// that server reports success from then on, so this one does not.</summary>
    public bool DsnPassedOn { get; set; }

    /// <summary>True when a DSN should be sent on failure: NOTIFY absent, or listing FAILURE.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool WantsFailureNotice => Notify == DsnNotify.None || Notify.HasFlag(DsnNotify.Failure);

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
