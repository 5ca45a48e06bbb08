using System.Text.Json;

namespace Rampart.Store.Mime;

/// <summary>Turns <see cref="MessageMetadata"/> into bytes a backend can store next to the message, and back.</summary>
/// <remarks>UTF-8 JSON through a source-generated context: no reflection at run time, readable in a database
/// shell, and new record fields added later deserialize from old rows as their defaults.</remarks>
public static class MessageMetadataSerializer
{
    /// <summary>Serializes the metadata as UTF-8 JSON.</summary>
    public static byte[] Serialize(MessageMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return JsonSerializer.SerializeToUtf8Bytes(metadata, MessageMetadataJsonContext.Default.MessageMetadata);
    }

    /// <summary>Reads only the envelope, body structure and preview from metadata written by <see cref="Serialize"/>,
    /// stopping before the search texts that follow them (they are most of the bytes; FETCH never needs them).</summary>
    /// <exception cref="InvalidDataException">The bytes are not metadata written by <see cref="Serialize"/> (a damaged row).</exception>
    public static (Envelope Envelope, BodyPart Body, string Preview) DeserializeStructure(ReadOnlySpan<byte> utf8Json)
    {
        var context = MessageMetadataJsonContext.Default;
        Envelope? envelope = null;
        BodyPart? body = null;
        string? preview = null;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = context.Options.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InvalidDataException("Stored message metadata is not an object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName && (envelope is null || body is null || preview is null))
            {
                if (reader.ValueTextEquals("Envelope"u8))
                {
                    reader.Read();
                    envelope = JsonSerializer.Deserialize(ref reader, context.Envelope);
                }
                else if (reader.ValueTextEquals("Body"u8))
                {
                    reader.Read();
                    body = JsonSerializer.Deserialize(ref reader, context.BodyPart);
                }
                else if (reader.ValueTextEquals("Preview"u8))
                {
                    reader.Read();
                    preview = reader.GetString();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("Stored message metadata is not readable.", ex);
        }

        return (envelope ?? throw new InvalidDataException("Stored message metadata has no envelope."),
            body ?? throw new InvalidDataException("Stored message metadata has no body structure."),
            preview ?? string.Empty);
    }

    /// <summary>Reads metadata written by <see cref="Serialize"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not metadata written by <see cref="Serialize"/> (a damaged row).</exception>
    public static MessageMetadata Deserialize(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            return JsonSerializer.Deserialize(utf8Json, MessageMetadataJsonContext.Default.MessageMetadata)
                ?? throw new InvalidDataException("Stored message metadata is null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("Stored message metadata is not readable.", ex);
        }
    }
}
