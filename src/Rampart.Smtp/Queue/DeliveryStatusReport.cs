using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Rampart.Smtp.Queue;

/// <summary>Builds the delivery status notification sent to the envelope sender when recipients are given up
/// (RFC 3464): a <c>multipart/report; report-type=delivery-status</c> (RFC 6522) with a human explanation, a
/// <c>message/delivery-status</c> part (per-message and per-recipient fields with RFC 3463 status codes, as RFC 3461
/// §6 describes), and the original's header (<c>text/rfc822-headers</c>).</summary>
public static class DeliveryStatusReport
{
    /// <summary>At most this much of the original header is returned: the header, never the body, and a header bomb
    /// is not mailed back whole. 64 KiB.</summary>
    public const int MaxReturnedHeaderBytes = 64 * 1024;

    /// <summary>The report for <paramref name="failed"/> recipients of <paramref name="envelope"/>, as CRLF bytes.</summary>
    public static byte[] Build(QueueEnvelope envelope, IReadOnlyList<QueuedRecipient> failed, Stream original, string reportingHost, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(failed);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mail Delivery System", $"MAILER-DAEMON@{reportingHost}"));
        message.To.Add(MailboxAddress.Parse(ParserOptions.Default, envelope.Sender));
        message.Subject = "Undelivered Mail Returned to Sender";
        message.Date = now;
        message.MessageId = MimeUtils.GenerateMessageId(reportingHost);

        // RFC 3834 §5: an automatic reply, so that auto-responders do not answer it.
        message.Headers.Add("Auto-Submitted", "auto-replied");

        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"This is the mail system at {reportingHost}.\r\n\r\n")
            .Append("Your message could not be delivered to the following recipients:\r\n\r\n");
        foreach (var recipient in failed)
        {
            text.Append(CultureInfo.InvariantCulture, $"  <{recipient.Address}>: {recipient.LastReply}\r\n");
        }

        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = text.ToString() },
        };

        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList
        {
            { "Reporting-MTA", $"dns; {reportingHost}" },
            { "X-Rampart-Queue-ID", envelope.Id },
            { "Arrival-Date", DateUtils.FormatDate(envelope.Created) },
        };
        status.StatusGroups.Add(perMessage);
        foreach (var recipient in failed)
        {
            var fields = new HeaderList
            {
                { "Final-Recipient", $"rfc822; {recipient.Address}" },
                { "Action", "failed" },
                { "Status", StatusOf(recipient) },
            };
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
            status.StatusGroups.Add(fields);
        }

        report.Add(status);
        report.Add(new MimePart("text", "rfc822-headers")
        {
            Content = new MimeContent(new MemoryStream(ReadHeader(original))),
            ContentTransferEncoding = ContentEncoding.SevenBit,
        });
        message.Body = report;

        using var output = new MemoryStream();
        message.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, output);
        return output.ToArray();
    }

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
