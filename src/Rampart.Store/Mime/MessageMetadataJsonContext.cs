using System.Text.Json.Serialization;

namespace Rampart.Store.Mime;

/// <summary>Source-generated System.Text.Json metadata for <see cref="MessageMetadataSerializer"/>.</summary>
/// <remarks>Nulls are left out to keep rows small: a message has many parts and most optional fields are absent.
/// Each MIME level costs up to three JSON levels (part, list of parts or embedded message), so the JSON depth limit is
/// set to cover <see cref="MimeLimits.HighestMaxDepth"/>.</remarks>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = (MimeLimits.HighestMaxDepth * 3) + 16)]
[JsonSerializable(typeof(MessageMetadata))]
internal sealed partial class MessageMetadataJsonContext : JsonSerializerContext;
