using System.Text.Json.Serialization;

namespace Rampart.Security.Credentials;

/// <summary>
/// Source-generated serializer for credentials, so that reading and writing them needs no reflection (and
/// stays correct when the server is trimmed or published AOT). Unknown members are ignored, so a node
/// running an older Rampart can still read a record a newer one wrote with an added field.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PasswordCredentialDocument))]
internal sealed partial class CredentialJsonContext : JsonSerializerContext;
