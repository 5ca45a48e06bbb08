namespace Rampart.Security.OAuth;

/// <summary>
/// How bearer tokens (OAUTHBEARER, XOAUTH2) are validated: as JWT access tokens (RFC 9068) against the issuer's keys
/// (a JWKS file or URL), or by token introspection (RFC 7662). Bound from the <c>Security:OAuth</c> section; the
/// mechanisms are offered only when <see cref="IsConfigured"/>.
/// </summary>
public sealed class OAuthOptions
{
    /// <summary>The default <see cref="ClockSkew"/>: 60 seconds, enough for clocks kept by NTP, small enough that an
    /// expired token is refused within a minute.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>The default <see cref="JwksRefreshInterval"/>: one hour (issuers announce a new key well before they use it).</summary>
    public static readonly TimeSpan DefaultJwksRefreshInterval = TimeSpan.FromHours(1);

    /// <summary>The default <see cref="JwksMinRefreshInterval"/>: 30 seconds, so that tokens with made-up key ids
    /// cannot make the server fetch the key set on every attempt.</summary>
    public static readonly TimeSpan DefaultJwksMinRefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>The expected <c>iss</c> (RFC 9068 §4: it must match exactly). Required for JWT validation.</summary>
    public string? Issuer { get; set; }

    /// <summary>The expected <c>aud</c>: this server's resource indicator (RFC 9068 §4). Required for JWT validation.</summary>
    public string? Audience { get; set; }

    /// <summary>A JWKS file (RFC 7517 §5) with the issuer's public keys; re-read when it changes.</summary>
    public string? JwksFile { get; set; }

    /// <summary>The issuer's JWKS URL (https; <c>rampart security audit</c> fails plain http: keys could be swapped in transit).</summary>
    public string? JwksUrl { get; set; }

    /// <summary>A token introspection endpoint (RFC 7662 §2); when set, tokens are checked there instead of as JWTs.</summary>
    public string? IntrospectionUrl { get; set; }

    /// <summary>The client id Rampart authenticates to the introspection endpoint with (HTTP Basic, RFC 7662 §2.1).</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret for the introspection endpoint.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The claim naming the account: <c>email</c> (default), <c>sub</c> or <c>preferred_username</c>. Its value
    /// is looked up like a login name (account name or address).</summary>
    public string AccountClaim { get; set; } = "email";

    /// <summary>The signature algorithms accepted by default: RS256, ES256, PS256.</summary>
    public static readonly IReadOnlyList<string> DefaultAlgorithms = ["RS256", "ES256", "PS256"];

    /// <summary>The signature algorithms accepted (RFC 8725 §3.1); null or empty for <see cref="DefaultAlgorithms"/>.
    /// <c>none</c> and the HMAC algorithms are never accepted, whatever is listed here: the keys are public.</summary>
#pragma warning disable CA2227 // Bound from configuration, which replaces the list.
    public IList<string>? Algorithms { get; set; }
#pragma warning restore CA2227

    /// <summary><see cref="Algorithms"/>, or the defaults when none are configured.</summary>
    public IReadOnlyList<string> EffectiveAlgorithms => Algorithms is { Count: > 0 } list ? [.. list] : DefaultAlgorithms;

    /// <summary>Tolerance on <c>exp</c> and <c>nbf</c>; default <see cref="DefaultClockSkew"/>, at most 5 minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = DefaultClockSkew;

    /// <summary>Whether a token typed plain <c>JWT</c> (or untyped) is accepted besides <c>at+jwt</c> (RFC 9068 §2.1).
    /// Default false: the type keeps ID tokens and other JWTs from the same issuer from passing as access tokens
    /// (RFC 8725 §3.11).</summary>
    public bool AcceptPlainJwt { get; set; }

    /// <summary>How often the JWKS is re-read; default <see cref="DefaultJwksRefreshInterval"/>.</summary>
    public TimeSpan JwksRefreshInterval { get; set; } = DefaultJwksRefreshInterval;

    /// <summary>The shortest time between two reads of the JWKS prompted by an unknown key id; default
    /// <see cref="DefaultJwksMinRefreshInterval"/>.</summary>
    public TimeSpan JwksMinRefreshInterval { get; set; } = DefaultJwksMinRefreshInterval;

    /// <summary>The scope shown to a client in the error challenge (RFC 7628 §3.2.2), or null.</summary>
    public string? Scope { get; set; }

    /// <summary>The issuer's discovery document URL shown in the error challenge (RFC 7628 §3.2.2), or null.</summary>
    public string? OpenIdConfiguration { get; set; }

    /// <summary>True when bearer tokens can be validated: a JWKS file or URL, or an introspection endpoint.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(JwksFile) || !string.IsNullOrWhiteSpace(JwksUrl) || !string.IsNullOrWhiteSpace(IntrospectionUrl);

    /// <summary>True when tokens go to <see cref="IntrospectionUrl"/>.</summary>
    public bool UsesIntrospection => !string.IsNullOrWhiteSpace(IntrospectionUrl);
}
