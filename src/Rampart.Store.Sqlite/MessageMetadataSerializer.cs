using System.Text.Json;
using Rampart.Store.Mime;

namespace Rampart.Store.Sqlite;

/// <summary>Temporary stand-in until Rampart.Store.Mime.MessageMetadataSerializer lands.</summary>
internal static class MessageMetadataSerializer
{
    public static byte[] Serialize(MessageMetadata metadata) => JsonSerializer.SerializeToUtf8Bytes(metadata);

    public static MessageMetadata Deserialize(ReadOnlySpan<byte> bytes) => JsonSerializer.Deserialize<MessageMetadata>(bytes)!;
}
