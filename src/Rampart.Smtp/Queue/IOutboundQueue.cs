namespace Rampart.Smtp.Queue;

/// <summary>The persistent queue of mail for remote recipients. A message is durable (file and metadata fsynced)
/// when <see cref="EnqueueAsync(string, IReadOnlyList{string}, Stream, CancellationToken)"/> returns, so submission may answer 250 only after it.</summary>
public interface IOutboundQueue
{
    /// <summary>Queues one message for <paramref name="recipients"/> (remote addresses). The stream is read to its end.</summary>
    /// <param name="envelopeFrom">The reverse path; empty for the null sender <c>&lt;&gt;</c> (RFC 5321 §4.5.5).</param>
    /// <param name="recipients">Forward paths, each an address without angle brackets.</param>
    /// <param name="message">The message as submitted (CRLF line ends).</param>
    /// <param name="cancellationToken">Cancels before the message is durable.</param>
    /// <returns>The queue id, for logs and <c>rampart queue list</c>.</returns>
    Task<string> EnqueueAsync(string envelopeFrom, IReadOnlyList<string> recipients, Stream message, CancellationToken cancellationToken = default);

    /// <summary>Queues one message as <see cref="EnqueueAsync(string, IReadOnlyList{string}, Stream, CancellationToken)"/>
    /// does, with the client's DSN parameters (RFC 3461) kept in the envelope; null <paramref name="dsn"/> is none.</summary>
    Task<string> EnqueueAsync(string envelopeFrom, IReadOnlyList<string> recipients, Stream message, Dsn.DsnRequest? dsn, CancellationToken cancellationToken = default);

    /// <summary>Queues one message for local recipients the store refused at the end of an SMTP transaction whose other
    /// recipients were accepted (RFC 5321 §6.1: it must not be dropped): each keeps the account and mailbox RCPT resolved
    /// (a <c>+tag</c> folder, Junk after a DMARC quarantine), so the queue delivers where the session would have, retries
    /// as <c>Smtp:OverQuotaTemporary</c> says, and reports to the sender with the client's DSN parameters (RFC 3461).</summary>
    Task<string> EnqueueLocalAsync(string envelopeFrom, IReadOnlyList<LocalRecipient> recipients, Stream message, Dsn.DsnRequest? dsn, CancellationToken cancellationToken = default);
}

/// <summary>A local recipient for <see cref="IOutboundQueue.EnqueueLocalAsync"/>.</summary>
/// <param name="Address">The forward path as the client gave it (DSNs name it).</param>
/// <param name="Account">The account it resolved to.</param>
/// <param name="Mailbox">The mailbox to deliver into; null for INBOX.</param>
public sealed record LocalRecipient(string Address, string Account, string? Mailbox);
