using System.Text.Json.Serialization;

namespace Rampart.Security.Credentials;

/// <summary>The stored JSON shape of a <see cref="PasswordCredential"/>.</summary>
internal sealed class PasswordCredentialDocument
{
    [JsonPropertyName("v")]
    public int Version { get; set; }

    public string? Argon2id { get; set; }

    public ScramCredentialDocument? ScramSha256 { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ScramCredentialDocument? ScramSha1 { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}
