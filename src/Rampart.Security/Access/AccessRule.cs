using System.Text.Json.Serialization;

namespace Rampart.Security.Access;

/// <summary>One CIDR allow/deny rule, optionally for one protocol (SECURITY.md "access rules", I02).</summary>
public sealed record AccessRule
{
    /// <summary>The network in canonical CIDR form (IPv4-mapped forms normalized to IPv4).</summary>
    [JsonPropertyName("network")]
    public required string Network { get; init; }

    /// <summary>Allow or deny.</summary>
    [JsonPropertyName("action")]
    public AccessAction Action { get; init; }

    /// <summary>The protocol it applies to (<c>imap</c>, <c>pop3</c>, <c>smtp</c>), or null for all.</summary>
    [JsonPropertyName("protocol")]
    public string? Protocol { get; init; }
}

/// <summary>Source-generated JSON for rule lists.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(List<AccessRule>))]
internal sealed partial class AccessJsonContext : JsonSerializerContext;
