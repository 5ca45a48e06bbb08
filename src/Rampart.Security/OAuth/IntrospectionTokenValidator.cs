using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Rampart.Security.OAuth;

/// <summary>
/// Validates opaque (or any) access tokens by asking the issuer (OAuth 2.0 Token Introspection, RFC 7662): a POST of
/// the token with Rampart's client credentials (§2.1, HTTP Basic as RFC 6749 §2.3.1 says), and a JSON answer whose
/// <c>active</c> must be true (§2.2). <c>exp</c>, <c>nbf</c>, <c>iss</c> and <c>aud</c> are checked when present.
/// </summary>
public sealed class IntrospectionTokenValidator : ITokenValidator
{
    /// <summary>The largest introspection answer read: 64 KiB.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    private readonly OAuthOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    /// <summary>Creates the validator over <paramref name="http"/>.</summary>
    public IntrospectionTokenValidator(OAuthOptions options, HttpClient http, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        if (!options.UsesIntrospection)
        {
            throw new ArgumentException("Security:OAuth:IntrospectionUrl is not set.", nameof(options));
        }

        _options = options;
        _http = http;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async ValueTask<TokenValidation> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        string body;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.IntrospectionUrl!))
            {
                Content = new FormUrlEncodedContent([new("token", token), new("token_type_hint", "access_token")]),
            };
            if (_options.ClientId is { Length: > 0 } clientId)
            {
                var pair = Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(_options.ClientSecret ?? string.Empty);
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
            }

            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return TokenValidation.Invalid("introspection-http-" + (int)response.StatusCode);
            }

            body = await BoundedContent.ReadStringAsync(response.Content, MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or TaskCanceledException)
        {
            return TokenValidation.Invalid("introspection-unreachable");
        }

        return Evaluate(body);
    }

    private TokenValidation Evaluate(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("active", out var active)
                || active.ValueKind != JsonValueKind.True)
            {
                return TokenValidation.Invalid("inactive");
            }

            var now = _time.GetUtcNow().ToUnixTimeSeconds();
            var skew = (long)_options.ClockSkew.TotalSeconds;
            if (root.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var expires) && now > expires + skew)
            {
                return TokenValidation.Invalid("expired");
            }

            if (root.TryGetProperty("nbf", out var nbf) && nbf.TryGetInt64(out var notBefore) && now < notBefore - skew)
            {
                return TokenValidation.Invalid("not-yet-valid");
            }

            if (_options.Issuer is { Length: > 0 } issuer && root.TryGetProperty("iss", out var iss) && iss.GetString() != issuer)
            {
                return TokenValidation.Invalid("wrong-issuer");
            }

            if (_options.Audience is { Length: > 0 } audience && root.TryGetProperty("aud", out var aud) && !HasAudience(aud, audience))
            {
                return TokenValidation.Invalid("wrong-audience");
            }

            return root.TryGetProperty(_options.AccountClaim, out var claim) && claim.ValueKind == JsonValueKind.String
                && claim.GetString() is { Length: > 0 and <= 255 } name
                ? TokenValidation.Valid(name)
                : TokenValidation.Invalid("no-account-claim");
        }
        catch (JsonException)
        {
            return TokenValidation.Invalid("introspection-malformed");
        }
    }

    private static bool HasAudience(JsonElement aud, string audience) => aud.ValueKind switch
    {
        JsonValueKind.String => aud.GetString() == audience,
        JsonValueKind.Array => aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == audience),
        _ => false,
    };
}
