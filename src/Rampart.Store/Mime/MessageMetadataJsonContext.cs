using System.Text.Json.Serialization;

namespace Rampart.Store.Mime;

/// <summary>Source-generated System.Text.Json metadata for <see cref="MessageMetadataSerializer"/>.</summary>
/// <remarks>Nulls are left out to keep rows small: a message has many parts and most optional fields are absent.</remarks>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MessageMetadata))]
internal sealed partial class MessageMetadataJsonContext : JsonSerializerContext;
