using System.Text.Json.Serialization;

namespace Rampart.Security.TwoFactor;

/// <summary>The stored two-factor record (secret kind <c>totp</c>).</summary>
internal sealed class TwoFactorDocument
{
    [JsonPropertyName("v")]
    public int Version { get; set; } = 1;

    /// <summary>The TOTP seed, sealed with the server key (<see cref="Credentials.SecretBox"/>).</summary>
    [JsonPropertyName("seed")]
    public string Seed { get; set; } = string.Empty;

    /// <summary>False until enrollment is confirmed with one code.</summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; set; }

    /// <summary>The newest time step a code was accepted for: a code of that step or an older one is never accepted again.</summary>
    [JsonPropertyName("lastStep")]
    public long LastStep { get; set; }

    /// <summary>Argon2id hashes of the unused recovery codes.</summary>
    [JsonPropertyName("recovery")]
    public List<string> RecoveryHashes { get; set; } = [];
}

/// <summary>Source-generated JSON for the two-factor record.</summary>
[JsonSerializable(typeof(TwoFactorDocument))]
internal sealed partial class TwoFactorJsonContext : JsonSerializerContext;
