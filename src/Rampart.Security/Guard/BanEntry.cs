using System.Text.Json.Serialization;

namespace Rampart.Security.Guard;

/// <summary>One ban: a network (an IPv4 address or /n, an IPv6 /64 or /n) refused before the greeting until
/// <see cref="Until"/>, or for good when that is null.</summary>
public sealed record BanEntry
{
    /// <summary>The banned network in CIDR form, e.g. <c>192.0.2.7/32</c> or <c>2001:db8:1:2::/64</c>.</summary>
    [JsonPropertyName("network")]
    public required string Network { get; init; }

    /// <summary>When the ban was made (UTC).</summary>
    [JsonPropertyName("created")]
    public DateTimeOffset Created { get; init; }

    /// <summary>When it ends (UTC), or null for a ban only an admin lifts.</summary>
    [JsonPropertyName("until")]
    public DateTimeOffset? Until { get; init; }

    /// <summary>Why: "auto: 20 failures in 01:00:00" or the admin's note.</summary>
    [JsonPropertyName("reason")]
    public string Reason { get; init; } = string.Empty;

    /// <summary>True while the ban holds at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => Until is not { } until || until > now;
}
