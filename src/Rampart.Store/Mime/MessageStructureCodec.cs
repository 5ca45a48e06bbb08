using System.Buffers;
using System.Text;

namespace Rampart.Store.Mime;

/// <summary>A compact binary form of what FETCH renders from a message — its <see cref="Envelope"/>, top-level
/// <see cref="BodyPart"/> and preview — that a backend can store apart from the full metadata, so a FETCH of
/// ENVELOPE or BODYSTRUCTURE over many messages reads a few hundred bytes each instead of the whole record with its
/// search texts, and decodes them without a JSON parser.</summary>
/// <remarks>
/// <para>It encodes the store's model, not any protocol's rendering of it. Layout: a version byte, then the envelope,
/// the body part and the preview. A string is a variable-length count <c>n</c> followed by <c>n - 1</c> UTF-8 octets,
/// <c>0</c> meaning null; a list is a count followed by its items; a number is a variable-length unsigned integer
/// (7 bits per octet, low bits first). A body part ends with a byte saying whether an embedded envelope and
/// message follow (message/rfc822).</para>
/// <para>Decoding treats the bytes as untrusted (a damaged row): every count is checked against the bytes left and
/// nesting against <see cref="MaxNesting"/>, and any inconsistency is an <see cref="InvalidDataException"/>.</para>
/// </remarks>
public static class MessageStructureCodec
{
    /// <summary>Deepest nesting of body parts accepted when decoding: two levels (part list, embedded message) per
    /// MIME level of <see cref="MimeLimits.HighestMaxDepth"/>, plus slack; deeper is a damaged row, not a message.</summary>
    public const int MaxNesting = (MimeLimits.HighestMaxDepth * 2) + 8;

    private const byte Version = 1;

    /// <summary>Encodes the parts of <paramref name="metadata"/> FETCH renders.</summary>
    public static byte[] Encode(MessageMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return Encode(metadata.Envelope, metadata.Body, metadata.Preview);
    }

    /// <summary>Encodes an envelope, a body structure and a preview.</summary>
    public static byte[] Encode(Envelope envelope, BodyPart body, string preview)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(body);
        var output = new ArrayBufferWriter<byte>(512);
        var writer = new Writer(output);
        writer.Byte(Version);
        writer.Envelope(envelope);
        writer.Part(body);
        writer.String(preview ?? string.Empty);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Decodes bytes written by <see cref="Encode(Envelope, BodyPart, string)"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a structure this codec wrote (a damaged row).</exception>
    public static (Envelope Envelope, BodyPart Body, string Preview) Decode(ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data);
        if (reader.Byte() != Version)
        {
            throw new InvalidDataException("Stored message structure has an unknown version.");
        }

        var envelope = reader.Envelope();
        var body = reader.Part(0);
        var preview = reader.String() ?? string.Empty;
        if (!reader.AtEnd)
        {
            throw new InvalidDataException("Stored message structure has trailing bytes.");
        }

        return (envelope, body, preview);
    }

    private readonly struct Writer(ArrayBufferWriter<byte> output)
    {
        public void Byte(byte value)
        {
            output.GetSpan(1)[0] = value;
            output.Advance(1);
        }

        public void Number(ulong value)
        {
            var span = output.GetSpan(10);
            var i = 0;
            while (value >= 0x80)
            {
                span[i++] = (byte)(value | 0x80);
                value >>= 7;
            }

            span[i++] = (byte)value;
            output.Advance(i);
        }

        public void Long(long value) => Number((ulong)value);

        public void String(string? value)
        {
            if (value is null)
            {
                Number(0);
                return;
            }

            var length = Encoding.UTF8.GetByteCount(value);
            Number((ulong)length + 1);
            var written = Encoding.UTF8.GetBytes(value, output.GetSpan(length));
            output.Advance(written);
        }

        public void Addresses(IReadOnlyList<EnvelopeAddress> addresses)
        {
            Number((ulong)addresses.Count);
            foreach (var address in addresses)
            {
                String(address.Name);
                String(address.Route);
                String(address.Mailbox);
                String(address.Host);
            }
        }

        public void Pairs(IReadOnlyList<KeyValuePair<string, string>> pairs)
        {
            Number((ulong)pairs.Count);
            foreach (var pair in pairs)
            {
                String(pair.Key);
                String(pair.Value);
            }
        }

        public void Envelope(Envelope envelope)
        {
            String(envelope.Date);
            String(envelope.Subject);
            Addresses(envelope.From);
            Addresses(envelope.Sender);
            Addresses(envelope.ReplyTo);
            Addresses(envelope.To);
            Addresses(envelope.Cc);
            Addresses(envelope.Bcc);
            String(envelope.InReplyTo);
            String(envelope.MessageId);
        }

        public void Part(BodyPart part)
        {
            String(part.Type);
            String(part.Subtype);
            Pairs(part.Parameters);
            String(part.ContentId);
            String(part.Description);
            String(part.Encoding);
            Long(part.HeaderOffset);
            Long(part.HeaderLength);
            Long(part.BodyOffset);
            Long(part.BodyLength);
            Long(part.Lines);
            String(part.Md5);
            String(part.Disposition);
            Pairs(part.DispositionParameters);
            Number((ulong)part.Languages.Count);
            foreach (var language in part.Languages)
            {
                String(language);
            }

            String(part.Location);
            Number((ulong)part.Parts.Count);
            foreach (var child in part.Parts)
            {
                Part(child);
            }

            Byte((byte)((part.MessageEnvelope is null ? 0 : 1) | (part.Message is null ? 0 : 2)));
            if (part.MessageEnvelope is not null)
            {
                Envelope(part.MessageEnvelope);
            }

            if (part.Message is not null)
            {
                Part(part.Message);
            }
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> data = data;
        private int position;

        public readonly bool AtEnd => position == data.Length;

        public byte Byte()
        {
            if (position >= data.Length)
            {
                throw Damaged();
            }

            return data[position++];
        }

        public ulong Number()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw Damaged();
        }

        public long Long() => (long)Number();

        /// <summary>A count of items each at least one octet long, so it can never exceed the bytes left.</summary>
        public int Count()
        {
            var count = Number();
            return count <= (ulong)(data.Length - position) ? (int)count : throw Damaged();
        }

        public string? String()
        {
            var n = Number();
            if (n == 0)
            {
                return null;
            }

            if (n - 1 > (ulong)(data.Length - position))
            {
                throw Damaged();
            }

            var length = (int)(n - 1);
            var value = length == 0 ? string.Empty : Encoding.UTF8.GetString(data.Slice(position, length));
            position += length;
            return value;
        }

        public string Required() => String() ?? throw Damaged();

        public EnvelopeAddress[] Addresses()
        {
            var count = Count();
            if (count == 0)
            {
                return [];
            }

            var result = new EnvelopeAddress[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = new EnvelopeAddress(String(), String(), String(), String());
            }

            return result;
        }

        public KeyValuePair<string, string>[] Pairs()
        {
            var count = Count();
            if (count == 0)
            {
                return [];
            }

            var result = new KeyValuePair<string, string>[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = new KeyValuePair<string, string>(Required(), Required());
            }

            return result;
        }

        public Envelope Envelope() =>
            new(String(), String(), Addresses(), Addresses(), Addresses(), Addresses(), Addresses(), Addresses(), String(), String());

        public BodyPart Part(int depth)
        {
            if (depth > MaxNesting)
            {
                throw Damaged();
            }

            var type = Required();
            var subtype = Required();
            var parameters = Pairs();
            var contentId = String();
            var description = String();
            var encoding = Required();
            var headerOffset = Long();
            var headerLength = Long();
            var bodyOffset = Long();
            var bodyLength = Long();
            var lines = Long();
            var md5 = String();
            var disposition = String();
            var dispositionParameters = Pairs();
            var languageCount = Count();
            var languages = languageCount == 0 ? [] : new string[languageCount];
            for (var i = 0; i < languageCount; i++)
            {
                languages[i] = Required();
            }

            var location = String();
            var partCount = Count();
            var parts = partCount == 0 ? [] : new BodyPart[partCount];
            for (var i = 0; i < partCount; i++)
            {
                parts[i] = Part(depth + 1);
            }

            var embedded = Byte();
            if (embedded > 3)
            {
                throw Damaged();
            }

            var messageEnvelope = (embedded & 1) != 0 ? Envelope() : null;
            var message = (embedded & 2) != 0 ? Part(depth + 1) : null;
            return new BodyPart(type, subtype, parameters, contentId, description, encoding, headerOffset, headerLength, bodyOffset,
                bodyLength, lines, md5, disposition, dispositionParameters, languages, location, parts, messageEnvelope, message);
        }

        private static InvalidDataException Damaged() => new("Stored message structure is damaged.");
    }
}
