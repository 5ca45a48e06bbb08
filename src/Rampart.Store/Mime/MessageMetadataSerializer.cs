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
