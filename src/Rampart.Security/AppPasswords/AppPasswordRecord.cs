using System.Text.Json.Serialization;

namespace Rampart.Security.AppPasswords;

/// <summary>One app password as stored: never the password, only its Argon2id hash, with its scope and last use.</summary>
public sealed class AppPasswordRecord
{
    /// <summary>The first group of the password, not secret: it picks the one hash to verify, so a login costs one
    /// Argon2 run however many app passwords the account has.</summary>
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    /// <summary>The device's name, unique per account (case-insensitive).</summary>
    [JsonPropertyName("label")]
    public string Label { get; set; } = string.Empty;

    /// <summary>The Argon2id PHC string of the whole password (dashes removed, lower case).</summary>
    [JsonPropertyName("hash")]
    public string Hash { get; set; } = string.Empty;

    /// <summary>Protocols it may log in to (<c>imap</c>, <c>pop3</c>, <c>smtp</c>); empty means all.</summary>
    [JsonPropertyName("protocols")]
    public List<string> Protocols { get; set; } = [];

    /// <summary>Networks it may log in from (CIDR); empty means anywhere.</summary>
    [JsonPropertyName("networks")]
    public List<string> Networks { get; set; } = [];

    /// <summary>When it was made (UTC).</summary>
    [JsonPropertyName("created")]
    public DateTimeOffset Created { get; set; }

    /// <summary>When it last logged in (UTC), or null.</summary>
    [JsonPropertyName("lastUsed")]
    public DateTimeOffset? LastUsed { get; set; }

    /// <summary>From where it last logged in.</summary>
    [JsonPropertyName("lastIp")]
    public string? LastAddress { get; set; }

    /// <summary>With which protocol it last logged in.</summary>
    [JsonPropertyName("lastProtocol")]
    public string? LastProtocol { get; set; }
}

/// <summary>Source-generated JSON for the app password list.</summary>
[JsonSerializable(typeof(List<AppPasswordRecord>))]
internal sealed partial class AppPasswordJsonContext : JsonSerializerContext;
