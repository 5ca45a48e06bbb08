using Rampart.Smtp.Delivery;
using Rampart.Smtp.Queue;
using Rampart.Smtp.Session;
using Rampart.Store.Model;

namespace Rampart.Smtp.Dsn;

/// <summary>NOTIFY=SUCCESS for recipients stored at the end of DATA (RFC 3461 §4.1; RFC 3464 Action: delivered).
/// Those never pass through the outbound queue, so the report is built here and queued to the sender with the null
/// reverse path (RFC 3461 §6.1); the queue stores it when the sender is local.</summary>
internal static class DeliveredReport
{
    /// <summary>Queues one report for the recipients of <paramref name="transaction"/> that asked for success notices
    /// and whose store delivery succeeded. If queueing fails the message stays delivered: losing a success notice is
    /// better than refusing mail already stored.</summary>
    public static async Task QueueAsync(SmtpServices services, MailTransaction transaction, IReadOnlyList<Recipient> recipients, int[] targetOf,
        IReadOnlyList<DeliveryOutcome> outcomes, string id, byte[] prefix, Stream stream, CancellationToken cancellationToken)
    {
        if (transaction.ReversePath is not { } sender || services.OutboundQueue is not { } queue || transaction.RecipientDsn.Count == 0)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var delivered = new List<QueuedRecipient>();
        for (var i = 0; i < recipients.Count; i++)
        {
            var address = recipients[i].Address.ToString();
            if (targetOf[i] >= 0 && outcomes[targetOf[i]].Error is null
                && transaction.RecipientDsn.TryGetValue(address, out var dsn) && dsn.Notify.HasFlag(DsnNotify.Success))
            {
                delivered.Add(new QueuedRecipient
                {
                    Address = address,
                    Status = RecipientStatus.Delivered,
                    StatusCode = "2.0.0",
                    LastReply = "delivered to the mailbox",
                    Completed = now,
                    Notify = dsn.Notify,
                    OriginalRecipientType = dsn.OriginalRecipientType,
                    OriginalRecipient = dsn.OriginalRecipient,
                });
            }
        }

        if (delivered.Count == 0)
        {
            return;
        }

        var envelope = new QueueEnvelope
        {
            Id = id,
            Sender = sender.ToString(),
            Recipients = delivered,
            Return = transaction.Return,
            EnvelopeId = transaction.EnvelopeId,
            Created = now,
        };
        stream.Position = 0;
        var report = DeliveryStatusReport.Build(envelope, delivered, new PrefixedStream(prefix, stream), services.HostName, now);
        try
        {
            await queue.EnqueueAsync(string.Empty, [envelope.Sender], new MemoryStream(report), cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // See the summary: the delivered message stands.
        }
    }
}
