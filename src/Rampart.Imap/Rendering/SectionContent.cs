using System.Buffers;
using MimeKit.Encodings;
using Rampart.Store.Mime;

namespace Rampart.Imap.Rendering;

/// <summary>Finds the octets of a FETCH section in the raw message from the part offsets stored at delivery, without
/// parsing the message again (RFC 9051 §6.4.5, RFC 3516 BINARY).</summary>
/// <remarks>
/// Part numbers (RFC 9051 §6.4.5): a multipart's parts are numbered from 1; a message that is not multipart has one
/// part, 1, its body; a message/rfc822 part's own parts are the parts of the message it holds, so <c>2.1</c> is the
/// first part of (or, when not multipart, the body of) the message in part 2. HEADER, HEADER.FIELDS and TEXT after
/// a part number apply to the message a message/rfc822 part holds; MIME is the part's own header.
/// </remarks>
public static class SectionContent
{
    /// <summary>Locates (and for <paramref name="binary"/>, decodes) the section. <paramref name="rawMessage"/> must be
    /// seekable, start at offset 0 of the message, and stay open until the returned data is written.</summary>
    public static async Task<SectionData> OpenAsync(SectionSpec spec, BodyPart body, Stream rawMessage, bool binary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(rawMessage);
        if (!rawMessage.CanSeek)
        {
            throw new ArgumentException("The message stream must be seekable.", nameof(rawMessage));
        }

        if (binary && spec.Kind != SectionKind.Full)
        {
            return SectionData.Failed(SectionStatus.NotBinary);
        }

        if (spec.IsWholeMessage)
        {
            long length = body.BodyOffset + body.BodyLength - body.HeaderOffset;
            return binary
                ? await ScanRawAsync(rawMessage, body.HeaderOffset, length, cancellationToken)
                : SectionData.FromRaw(rawMessage, body.HeaderOffset, length, containsNul: false);
        }

        var part = spec.Part.Length == 0 ? body : Resolve(body, spec.Part);
        if (part is null)
        {
            return SectionData.Missing;
        }

        switch (spec.Kind)
        {
            case SectionKind.Full when binary:
                return await DecodeAsync(part, rawMessage, cancellationToken);
            case SectionKind.Full:
                return SectionData.FromRaw(rawMessage, part.BodyOffset, part.BodyLength, containsNul: false);
            case SectionKind.Mime:
                return SectionData.FromRaw(rawMessage, part.HeaderOffset, part.HeaderLength, containsNul: false);
        }

        // HEADER, HEADER.FIELDS[.NOT] and TEXT name a message: the top-level one, or the one a message part holds.
        var message = spec.Part.Length == 0 ? body : part.Message;
        if (message is null)
        {
            return SectionData.Missing;
        }

        return spec.Kind switch
        {
            SectionKind.Header => SectionData.FromRaw(rawMessage, message.HeaderOffset, message.HeaderLength, containsNul: false),
            SectionKind.Text => SectionData.FromRaw(rawMessage, message.BodyOffset, message.BodyLength, containsNul: false),
            _ => await FilterHeaderAsync(spec, message, rawMessage, cancellationToken),
        };
    }

    /// <summary>Walks the part numbers; null when one names no part.</summary>
    private static BodyPart? Resolve(BodyPart body, int[] numbers)
    {
        var entity = body;

        // Whether the entity is a message's body, where a non-multipart has the single part 1.
        bool messageBody = true;
        for (int i = 0; i < numbers.Length; i++)
        {
            int number = numbers[i];
            if (entity.Parts.Count > 0)
            {
                if (number > entity.Parts.Count)
                {
                    return null;
                }

                entity = entity.Parts[number - 1];
            }
            else if (!messageBody || number != 1)
            {
                return null;
            }

            messageBody = false;
            if (i + 1 < numbers.Length && entity.Message is not null)
            {
                // More numbers after a message/rfc822 part address the parts of the message it holds.
                entity = entity.Message;
                messageBody = true;
            }
        }

        return entity;
    }

    private static async Task<SectionData> FilterHeaderAsync(SectionSpec spec, BodyPart message, Stream raw, CancellationToken cancellationToken)
    {
        var spool = new SpoolBuffer();
        try
        {
            var filter = new HeaderFieldFilter(spec, spool);
            raw.Position = message.HeaderOffset;
            long remaining = message.HeaderLength;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                while (remaining > 0 && !filter.Done)
                {
                    int read = await raw.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                    if (read == 0)
                    {
                        break;
                    }

                    remaining -= read;
                    await filter.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            await filter.CompleteAsync(cancellationToken);
            return SectionData.FromSpool(spool);
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
    }

    /// <summary>BINARY of a leaf: base64 and quoted-printable are decoded into a spool, identity encodings are sent
    /// from the raw message after a NUL scan (RFC 3516 §4.2 needs to know before the literal starts).</summary>
    private static async Task<SectionData> DecodeAsync(BodyPart part, Stream raw, CancellationToken cancellationToken)
    {
        if (part.Parts.Count > 0)
        {
            return SectionData.Failed(SectionStatus.NotBinary);
        }

        IMimeDecoder? decoder;
        switch (part.Encoding.ToUpperInvariant())
        {
            case "" or "7BIT" or "8BIT" or "BINARY":
                return await ScanRawAsync(raw, part.BodyOffset, part.BodyLength, cancellationToken);
            case "BASE64":
                decoder = new Base64Decoder();
                break;
            case "QUOTED-PRINTABLE":
                decoder = new QuotedPrintableDecoder();
                break;
            default:
                return SectionData.Failed(SectionStatus.UnknownCte);
        }

        var spool = new SpoolBuffer();
        const int chunk = 32 * 1024;
        byte[] input = ArrayPool<byte>.Shared.Rent(chunk);
        byte[] output = ArrayPool<byte>.Shared.Rent(decoder.EstimateOutputLength(chunk));
        try
        {
            raw.Position = part.BodyOffset;
            long remaining = part.BodyLength;
            while (remaining > 0)
            {
                int read = await raw.ReadAsync(input.AsMemory(0, (int)Math.Min(chunk, remaining)), cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException("The message ended before the octets its metadata describes.");
                }

                remaining -= read;
                int decoded = decoder.Decode(input, 0, read, output);
                await spool.WriteAsync(output.AsMemory(0, decoded), cancellationToken);
            }

            return SectionData.FromSpool(spool);
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    private static async Task<SectionData> ScanRawAsync(Stream raw, long offset, long length, CancellationToken cancellationToken)
    {
        bool nul = false;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(StreamRange.BufferSize);
        try
        {
            raw.Position = offset;
            long remaining = length;
            while (remaining > 0 && !nul)
            {
                int read = await raw.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                remaining -= read;
                nul = buffer.AsSpan(0, read).Contains((byte)0);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return SectionData.FromRaw(raw, offset, length, nul);
    }
}
