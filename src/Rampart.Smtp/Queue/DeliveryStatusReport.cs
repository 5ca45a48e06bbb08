using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Utils;
using Rampart.Smtp.Dsn;

namespace Rampart.Smtp.Queue;

/// <summary>Builds the delivery status notifications sent to the envelope sender (RFC 3464): when recipients are given
/// up, and, when the client asked with NOTIFY (RFC 3461 §4.1), when they are delivered here or relayed to a server
/// without DSN (SUCCESS) or still waiting past the delay warning (DELAY). A <c>multipart/report; report-type=delivery-status</c> (RFC 6522) with a human explanation, a
/// <c>message/delivery-status</c> part (per-message and per-recipient fields with RFC 3463 status codes, ENVID and
/// ORCPT echoed as RFC 3461 §6 describes), and the original: its header (<c>text/rfc822-headers</c>), or the whole
/// message (<c>message/rfc822</c>) for a failure when MAIL said RET=FULL (§4.3).</summary>
public static class DeliveryStatusReport
{
    /// <summary>At most this much of the original header is returned: the header, never the body, and a header bomb
    /// is not mailed back whole. 64 KiB.</summary>
    public const int MaxReturnedHeaderBytes = 64 * 1024;

    /// <summary>RET=FULL returns a message up to this size whole; a larger one gets its header back instead, so that a
    /// bounce never doubles a large message's traffic. 1 MiB.</summary>
    public const long MaxReturnedMessageBytes = 1024 * 1024;

    /// <summary>The report for <paramref name="recipients"/> of <paramref name="envelope"/>, as CRLF bytes. Each
    /// recipient's Action follows its status: failed; delivered (no remote host: stored here); relayed.</summary>
    /// <param name="envelope">The queued message.</param>
    /// <param name="recipients">The recipients reported on.</param>
    /// <param name="original">The queued message's bytes, from the start.</param>
    /// <param name="reportingHost">This server's name (Reporting-MTA).</param>
    /// <param name="now">The report's date.</param>
    /// <param name="maxAge">The retry period, for Will-Retry-Until of delayed recipients; null leaves it out.</param>
    public static byte[] Build(QueueEnvelope envelope, IReadOnlyList<QueuedRecipient> recipients, Stream original, string reportingHost, DateTimeOffset now, TimeSpan? maxAge = null)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(original);
        var failure = recipients.Any(r => ActionOf(r) == DsnAction.Failed);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mail Delivery System", $"MAILER-DAEMON@{reportingHost}"));
        message.To.Add(MailboxAddress.Parse(ParserOptions.Default, envelope.Sender));
        var delay = !failure && recipients.Any(r => ActionOf(r) == DsnAction.Delayed);
        message.Subject = failure ? "Undelivered Mail Returned to Sender" : delay ? "Delayed Mail (still being retried)" : "Successful Mail Delivery Report";
        message.Date = now;
        message.MessageId = MimeUtils.GenerateMessageId(reportingHost);

        // RFC 3834 §5: an automatic reply, so that auto-responders do not answer it.
        message.Headers.Add("Auto-Submitted", "auto-replied");

        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"This is the mail system at {reportingHost}.\r\n\r\n");
        foreach (var group in recipients.GroupBy(ActionOf))
        {
            text.Append(group.Key switch
            {
                DsnAction.Failed => "Your message could not be delivered to the following recipients:\r\n\r\n",
                DsnAction.Delayed => "Your message has not been delivered yet to the following recipients; it is still being retried:\r\n\r\n",
                DsnAction.Delivered => "Your message was delivered to the following recipients:\r\n\r\n",
                _ => "Your message was relayed to the following recipients' servers, which will not report further:\r\n\r\n",
            });
            foreach (var recipient in group)
            {
                text.Append(CultureInfo.InvariantCulture, $"  <{recipient.Address}>: {recipient.LastReply}\r\n");
            }

            text.Append("\r\n");
        }

        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = text.ToString() },
        };

        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList();
        if (envelope.EnvelopeId is { Length: > 0 } envelopeId)
        {
            // RFC 3464 §2.2.1: the ENVID of the original MAIL, so the sender can match the report to what it sent.
            perMessage.Add("Original-Envelope-Id", envelopeId);
        }

        perMessage.Add("Reporting-MTA", $"dns; {reportingHost}");
        perMessage.Add("X-Rampart-Queue-ID", envelope.Id);
        perMessage.Add("Arrival-Date", DateUtils.FormatDate(envelope.Created));
        status.StatusGroups.Add(perMessage);
        foreach (var recipient in recipients)
        {
            var action = ActionOf(recipient);
            var fields = new HeaderList();
            if (recipient.OriginalRecipient is { Length: > 0 } orcpt)
            {
                // RFC 3464 §2.3.1: ORCPT as given with RCPT, decoded.
                fields.Add("Original-Recipient", $"{recipient.OriginalRecipientType ?? "rfc822"};{orcpt}");
            }

            fields.Add("Final-Recipient", $"rfc822; {recipient.Address}");
            fields.Add("Action", action.ToString().ToLowerInvariant());
            fields.Add("Status", action switch
            {
                DsnAction.Failed => StatusOf(recipient),
                DsnAction.Delayed => DelayStatusOf(recipient),
                _ => SuccessStatusOf(recipient),
            });
            if (recipient.RemoteHost is { Length: > 0 } host)
            {
                fields.Add("Remote-MTA", $"dns; {host}");
            }

            // RFC 3464 §2.3.6: diagnostic type "smtp" is for a reply from an SMTP server; DNS and connection errors are
            // explained in the text part instead.
            if (recipient.LastReply is { Length: >= 3 } reply && reply.AsSpan(0, 3).IndexOfAnyExceptInRange('0', '9') < 0)
            {
                fields.Add("Diagnostic-Code", $"smtp; {reply}");
            }

            fields.Add("Last-Attempt-Date", DateUtils.FormatDate(recipient.Completed ?? now));
            if (action == DsnAction.Delayed && maxAge is { } retryFor)
            {
                // RFC 3464 §2.3.9: when this server gives up.
                fields.Add("Will-Retry-Until", DateUtils.FormatDate(envelope.Created + retryFor));
            }
            status.StatusGroups.Add(fields);
        }

        report.Add(status);
        report.Add(failure && envelope.Return == DsnReturn.Full && original.Length <= MaxReturnedMessageBytes
            ? WholeMessage(original)
            : new MimePart("text", "rfc822-headers")
            {
                Content = new MimeContent(new MemoryStream(ReadHeader(original))),
                ContentTransferEncoding = ContentEncoding.SevenBit,
            });
        message.Body = report;

        using var output = new MemoryStream();
        message.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, output);
        return output.ToArray();
    }

    /// <summary>What the report says happened to <paramref name="recipient"/>.</summary>
    public static DsnAction ActionOf(QueuedRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return recipient.Status == RecipientStatus.Pending ? DsnAction.Delayed
            : recipient.Status != RecipientStatus.Delivered ? DsnAction.Failed
            : recipient.RemoteHost is null ? DsnAction.Delivered
            : DsnAction.Relayed;
    }

    /// <summary>RET=FULL: the original as a <c>message/rfc822</c> part, its bytes unchanged.</summary>
    private static MimePart WholeMessage(Stream original)
    {
        var copy = new MemoryStream();
        original.CopyTo(copy);
        var eightBit = copy.GetBuffer().AsSpan(0, (int)copy.Length).IndexOfAnyInRange((byte)0x80, (byte)0xff) >= 0;
        copy.Position = 0;
        return new MimePart("message", "rfc822")
        {
            Content = new MimeContent(copy),
            ContentTransferEncoding = eightBit ? ContentEncoding.EightBit : ContentEncoding.SevenBit,
        };
    }

    /// <summary>The 4.x.x code of the last transient failure, or 4.0.0.</summary>
    private static string DelayStatusOf(QueuedRecipient recipient) =>
        recipient.StatusCode is { Length: >= 5 } code && code[0] == '4' && code[1] == '.' ? code : "4.0.0";

    /// <summary>A 2.x.x code of the delivery, or 2.0.0.</summary>
    private static string SuccessStatusOf(QueuedRecipient recipient) =>
        recipient.StatusCode is { Length: >= 5 } code && code[0] == '2' && code[1] == '.' ? code : "2.0.0";

    /// <summary>The recipient's RFC 3463 code; 4.x.x stays (a recipient given up after transient failures, e.g. 4.4.7
    /// "delivery time expired", RFC 3463 §3.5), anything else unusable becomes 5.0.0.</summary>
    private static string StatusOf(QueuedRecipient recipient) =>
        recipient.StatusCode is { Length: >= 5 } code && code[0] is '4' or '5' && code[1] == '.' ? code : "5.0.0";

    /// <summary>The original's header block, up to the blank line, capped at <see cref="MaxReturnedHeaderBytes"/>,
    /// with 8-bit bytes replaced so the part stays 7bit.</summary>
    private static byte[] ReadHeader(Stream original)
    {
        var buffer = new byte[MaxReturnedHeaderBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = original.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        var span = buffer.AsSpan(0, length);
        var end = span.IndexOf("\r\n\r\n"u8);
        var header = end >= 0 ? span[..(end + 2)] : span[..(span.LastIndexOf("\r\n"u8) is var last and >= 0 ? last + 2 : 0)];
        var bytes = header.ToArray();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] > 127 || (bytes[i] < 32 && bytes[i] is not (byte)'\r' and not (byte)'\n' and not (byte)'\t'))
            {
                bytes[i] = (byte)'?';
            }
        }

        return bytes;
    }
}
