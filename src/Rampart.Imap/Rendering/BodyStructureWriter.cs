using System.Buffers;
using Rampart.Store.Mime;

namespace Rampart.Imap.Rendering;

/// <summary>Writes BODY and BODYSTRUCTURE (RFC 9051 §7.5.2 and §9 <c>body</c>, RFC 3501 §7.4.2) from the metadata
/// computed at delivery.</summary>
/// <remarks>
/// Non-multipart: type, subtype, parameters, id, description, encoding, size; text/* adds the line count;
/// message/rfc822 and message/global add the embedded envelope, body and line count. Multipart: the children, then
/// the subtype. With extension data (BODYSTRUCTURE) a non-multipart adds MD5, disposition, language and location, a
/// multipart adds parameters, disposition, language and location. Recursion depth is bounded by the store's
/// <see cref="MimeLimits.MaxDepth"/> (at most <see cref="MimeLimits.HighestMaxDepth"/> levels).
/// </remarks>
public static class BodyStructureWriter
{
    /// <summary>Writes <paramref name="body"/> as BODYSTRUCTURE when <paramref name="extensible"/> is true, else as
    /// the basic BODY form.</summary>
    public static void Write(IBufferWriter<byte> output, BodyPart body, bool extensible, bool utf8Allowed = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(body);
        WritePart(output, body, extensible, utf8Allowed);
    }

    private static void WritePart(IBufferWriter<byte> output, BodyPart body, bool extensible, bool utf8Allowed)
    {
        output.Write("("u8);
        if (body.Parts.Count > 0)
        {
            WriteMultipart(output, body, extensible, utf8Allowed);
        }
        else
        {
            WriteSinglePart(output, body, extensible, utf8Allowed);
        }

        output.Write(")"u8);
    }

    private static void WriteMultipart(IBufferWriter<byte> output, BodyPart body, bool extensible, bool utf8Allowed)
    {
        // RFC 9051 §9: body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]; no space between the bodies.
        foreach (var part in body.Parts)
        {
            WritePart(output, part, extensible, utf8Allowed);
        }

        output.Write(" "u8);
        WriteUpper(output, body.Subtype, utf8Allowed);
        if (!extensible)
        {
            return;
        }

        // body-ext-mpart = body-fld-param [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]
        output.Write(" "u8);
        WriteParameters(output, body.Parameters, utf8Allowed);
        WriteDispositionLanguageLocation(output, body, utf8Allowed);
    }

    private static void WriteSinglePart(IBufferWriter<byte> output, BodyPart body, bool extensible, bool utf8Allowed)
    {
        WriteUpper(output, body.Type, utf8Allowed);
        output.Write(" "u8);
        WriteUpper(output, body.Subtype, utf8Allowed);

        // body-fields = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP body-fld-octets
        output.Write(" "u8);
        WriteParameters(output, body.Parameters, utf8Allowed);
        output.Write(" "u8);
        ImapStringWriter.WriteNString(output, body.ContentId, utf8Allowed);
        output.Write(" "u8);
        ImapStringWriter.WriteNString(output, body.Description, utf8Allowed);
        output.Write(" "u8);
        ImapStringWriter.WriteString(output, string.IsNullOrEmpty(body.Encoding) ? "7BIT" : body.Encoding, utf8Allowed);
        output.Write(" "u8);
        ImapStringWriter.WriteNumber(output, body.BodyLength);

        if (IsMessage(body))
        {
            // body-type-msg = media-message SP body-fields SP envelope SP body SP body-fld-lines
            output.Write(" "u8);
            EnvelopeWriter.Write(output, body.MessageEnvelope!, utf8Allowed);
            output.Write(" "u8);
            WritePart(output, body.Message!, extensible, utf8Allowed);
            output.Write(" "u8);
            ImapStringWriter.WriteNumber(output, body.Lines);
        }
        else if (string.Equals(body.Type, "text", StringComparison.OrdinalIgnoreCase))
        {
            // body-type-text = media-text SP body-fields SP body-fld-lines
            output.Write(" "u8);
            ImapStringWriter.WriteNumber(output, body.Lines);
        }

        if (!extensible)
        {
            return;
        }

        // body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]
        output.Write(" "u8);
        ImapStringWriter.WriteNString(output, body.Md5, utf8Allowed);
        WriteDispositionLanguageLocation(output, body, utf8Allowed);
    }

    /// <summary>Only a message part whose embedded message was parsed has the envelope and body the
    /// <c>body-type-msg</c> form needs; the store describes any other as an opaque leaf.</summary>
    private static bool IsMessage(BodyPart body) =>
        body.MessageEnvelope is not null && body.Message is not null
        && string.Equals(body.Type, "message", StringComparison.OrdinalIgnoreCase);

    private static void WriteDispositionLanguageLocation(IBufferWriter<byte> output, BodyPart body, bool utf8Allowed)
    {
        // body-fld-dsp = "(" string SP body-fld-param ")" / nil
        output.Write(" "u8);
        if (body.Disposition is null)
        {
            output.Write("NIL"u8);
        }
        else
        {
            output.Write("("u8);
            WriteUpper(output, body.Disposition, utf8Allowed);
            output.Write(" "u8);
            WriteParameters(output, body.DispositionParameters, utf8Allowed);
            output.Write(")"u8);
        }

        // body-fld-lang = nstring / "(" string *(SP string) ")"
        output.Write(" "u8);
        if (body.Languages.Count == 0)
        {
            output.Write("NIL"u8);
        }
        else
        {
            output.Write("("u8);
            for (int i = 0; i < body.Languages.Count; i++)
            {
                if (i > 0)
                {
                    output.Write(" "u8);
                }

                ImapStringWriter.WriteString(output, body.Languages[i], utf8Allowed);
            }

            output.Write(")"u8);
        }

        // body-fld-loc = nstring
        output.Write(" "u8);
        ImapStringWriter.WriteNString(output, body.Location, utf8Allowed);
    }

    /// <summary>body-fld-param = "(" string SP string *(SP string SP string) ")" / nil.</summary>
    private static void WriteParameters(IBufferWriter<byte> output, IReadOnlyList<KeyValuePair<string, string>> parameters, bool utf8Allowed)
    {
        if (parameters.Count == 0)
        {
            output.Write("NIL"u8);
            return;
        }

        output.Write("("u8);
        for (int i = 0; i < parameters.Count; i++)
        {
            if (i > 0)
            {
                output.Write(" "u8);
            }

            WriteUpper(output, parameters[i].Key, utf8Allowed);
            output.Write(" "u8);
            ImapStringWriter.WriteString(output, parameters[i].Value ?? string.Empty, utf8Allowed);
        }

        output.Write(")"u8);
    }

    /// <summary>Type, subtype, parameter and disposition names are case-insensitive tokens (RFC 2045 §5.1); they
    /// are sent upper-case, as is customary.</summary>
    private static void WriteUpper(IBufferWriter<byte> output, string value, bool utf8Allowed) =>
        ImapStringWriter.WriteString(output, value.ToUpperInvariant(), utf8Allowed);
}
