using System.Buffers;
using Rampart.Store.Mime;

namespace Rampart.Imap.Rendering;

/// <summary>Writes the ENVELOPE structure of a message (RFC 9051 §7.5.2, RFC 3501 §7.4.2):
/// <c>(date subject (from) (sender) (reply-to) (to) (cc) (bcc) in-reply-to message-id)</c>.</summary>
/// <remarks>
/// The values are the raw header values the store kept at delivery; NIL stands for an absent field and an empty
/// address list. A group is a start marker <c>(NIL NIL "name" NIL)</c>, its members, and an end marker
/// <c>(NIL NIL NIL NIL)</c>, as <see cref="EnvelopeAddress"/> already records them.
/// </remarks>
public static class EnvelopeWriter
{
    /// <summary>Writes <paramref name="envelope"/>. With <paramref name="utf8Allowed"/> false (an IMAP4rev1 client
    /// without UTF8=ACCEPT) any 8-bit value goes as a literal.</summary>
    public static void Write(IBufferWriter<byte> output, Envelope envelope, bool utf8Allowed = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(envelope);
        output.Write("("u8);
        ImapStringWriter.WriteNString(output, envelope.Date, utf8Allowed);
        output.Write(" "u8);
        ImapStringWriter.WriteNString(output, envelope.Subject, utf8Allowed);
        foreach (var list in (ReadOnlySpan<IReadOnlyList<EnvelopeAddress>>)[envelope.From, envelope.Sender, envelope.ReplyTo, envelope.To, envelope.Cc, envelope.Bcc])
        {
            output.Write(" "u8);
            WriteAddresses(output, list, utf8Allowed);
        }

        output.Write(" "u8);
        ImapStringWriter.WriteNString(output, envelope.InReplyTo, utf8Allowed);
        output.Write(" "u8);
        ImapStringWriter.WriteNString(output, envelope.MessageId, utf8Allowed);
        output.Write(")"u8);
    }

    private static void WriteAddresses(IBufferWriter<byte> output, IReadOnlyList<EnvelopeAddress>? addresses, bool utf8Allowed)
    {
        if (addresses is null || addresses.Count == 0)
        {
            output.Write("NIL"u8);
            return;
        }

        output.Write("("u8);
        foreach (var address in addresses)
        {
            // RFC 9051 §9: address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")", no separator.
            output.Write("("u8);
            ImapStringWriter.WriteNString(output, address.Name, utf8Allowed);
            output.Write(" "u8);
            ImapStringWriter.WriteNString(output, address.Route, utf8Allowed);
            output.Write(" "u8);
            ImapStringWriter.WriteNString(output, address.Mailbox, utf8Allowed);
            output.Write(" "u8);
            ImapStringWriter.WriteNString(output, address.Host, utf8Allowed);
            output.Write(")"u8);
        }

        output.Write(")"u8);
    }
}
