using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Rampart.Security.OAuth;

/// <summary>
/// Validates JWT access tokens (RFC 9068 §4) with the best practices of RFC 8725: the signature with the issuer's
/// public keys (<see cref="JwksKeySource"/>), an explicit algorithm allow-list that never holds <c>none</c> or an HMAC
/// algorithm (§3.1, §2.1), the type <c>at+jwt</c> (§3.11), <c>iss</c>, <c>aud</c>, <c>exp</c> and <c>nbf</c> with
/// <see cref="OAuthOptions.ClockSkew"/>; then reads the account claim.
/// </summary>
public sealed class JwtAccessTokenValidator : ITokenValidator
{
    /// <summary>The largest clock skew accepted in configuration: 5 minutes.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The asymmetric algorithms this validator can check; anything else in the configuration is ignored.</summary>
    public static readonly IReadOnlySet<string> SupportedAlgorithms = new HashSet<string>(
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"], StringComparer.Ordinal);

    private static readonly string[] AccessTokenTypes = ["at+jwt", "application/at+jwt"];

    private readonly OAuthOptions _options;
    private readonly JwksKeySource _keys;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly string[] _algorithms;

    /// <summary>Creates the validator.</summary>
    /// <exception cref="ArgumentException">The issuer or audience is missing, or no usable algorithm is allowed.</exception>
    public JwtAccessTokenValidator(OAuthOptions options, JwksKeySource keys)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keys);
        if (string.IsNullOrWhiteSpace(options.Issuer) || string.IsNullOrWhiteSpace(options.Audience))
        {
            // RFC 9068 §4: a resource server must check both; a token for another service must not open a mailbox.
            throw new ArgumentException("Security:OAuth needs Issuer and Audience to validate JWT access tokens.", nameof(options));
        }

        _algorithms = [.. options.EffectiveAlgorithms.Where(SupportedAlgorithms.Contains)];
        if (_algorithms.Length == 0)
        {
            throw new ArgumentException("Security:OAuth:Algorithms lists no supported asymmetric algorithm (RS256, ES256, PS256, ...).", nameof(options));
        }

        _options = options;
        _keys = keys;
    }

    /// <inheritdoc />
    public async ValueTask<TokenValidation> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!_handler.CanReadToken(token))
        {
            return TokenValidation.Invalid("not-a-jwt");
        }

        var result = await ValidateWithAsync(token, await _keys.GetKeysAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException
            && await _keys.RefreshForUnknownKeyAsync(cancellationToken).ConfigureAwait(false))
        {
            // Key rotation: the issuer signs with a key published after the last read.
            result = await ValidateWithAsync(token, await _keys.GetKeysAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }

        if (!result.IsValid)
        {
            return TokenValidation.Invalid(ReasonOf(result.Exception));
        }

        if (result.Claims.TryGetValue("email_verified", out var verified) && verified is false && _options.AccountClaim == "email")
        {
            return TokenValidation.Invalid("email-not-verified");
        }

        return result.Claims.TryGetValue(_options.AccountClaim, out var value) && value is string name && name.Length is > 0 and <= 255
            ? TokenValidation.Valid(name)
            : TokenValidation.Invalid("no-account-claim");
    }

    private Task<TokenValidationResult> ValidateWithAsync(string token, IReadOnlyList<SecurityKey> keys) =>
        _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = _algorithms,
            IssuerSigningKeys = keys,
            ClockSkew = _options.ClockSkew > MaxClockSkew ? MaxClockSkew : _options.ClockSkew,
            TypeValidator = ValidateType,
            // The log of a refused token must not carry the token (SECURITY.md L01).
            LogTokenId = false,
            LogValidationExceptions = false,
        });

    private string ValidateType(string type, SecurityToken token, TokenValidationParameters parameters)
    {
        if (AccessTokenTypes.Contains(type, StringComparer.OrdinalIgnoreCase)
            || (_options.AcceptPlainJwt && (string.IsNullOrEmpty(type) || string.Equals(type, "JWT", StringComparison.OrdinalIgnoreCase))))
        {
            return type;
        }

        throw new SecurityTokenInvalidTypeException("The token is not an access token (typ at+jwt).");
    }

    private static string ReasonOf(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "not-yet-valid",
        SecurityTokenInvalidIssuerException => "wrong-issuer",
        SecurityTokenInvalidAudienceException => "wrong-audience",
        SecurityTokenInvalidAlgorithmException => "algorithm-not-allowed",
        SecurityTokenInvalidTypeException => "wrong-type",
        SecurityTokenSignatureKeyNotFoundException => "unknown-key",
        SecurityTokenInvalidSignatureException => "bad-signature",
        SecurityTokenNoExpirationException => "no-expiry",
        _ => "invalid-token",
    };
}
