using System.Text.Json.Serialization;
using Rampart.Smtp.Dsn;

namespace Rampart.Smtp.Queue;

/// <summary>The envelope record of one queued message (<c>DATA/queue/ID.json</c>): sender, recipients with their
/// status, attempts and schedule. Rewritten atomically after every outcome, so after a crash it says who got the mail.</summary>
public sealed class QueueEnvelope
{
    public required string Id { get; init; }

    /// <summary>The reverse path; empty for the null sender <c>&lt;&gt;</c> (RFC 5321 §4.5.5), which never gets a DSN.</summary>
    public required string Sender { get; init; }

    public required List<QueuedRecipient> Recipients { get; init; }

    /// <summary>RET of the submission (RFC 3461 §4.3): what a failure DSN returns of the message.</summary>
    public DsnReturn Return { get; init; }

    /// <summary>ENVID of the submission, decoded (RFC 3461 §4.4); echoed as Original-Envelope-Id and passed on.</summary>
    public string? EnvelopeId { get; init; }

    /// <summary>When the message was queued (the DSN's Arrival-Date; the retry period counts from it).</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>The message's size in octets, as stored.</summary>
    public long Size { get; init; }

    /// <summary>Delivery attempts made so far.</summary>
    public int Attempts { get; set; }

    /// <summary>When the worker tries the pending recipients next.</summary>
    public DateTimeOffset NextAttempt { get; set; }

    /// <summary>The last error of the whole message (connection refused, DNS failure…), for <c>rampart queue list</c>.</summary>
    public string? LastError { get; set; }

    /// <summary>True when no recipient is pending any more.</summary>
    [JsonIgnore]
    public bool IsFinished => Recipients.TrueForAll(r => r.Status != RecipientStatus.Pending);
}
