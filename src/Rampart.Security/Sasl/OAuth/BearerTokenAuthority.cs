using Rampart.Security.OAuth;

namespace Rampart.Security.Sasl.OAuth;

/// <summary>
/// What OAUTHBEARER and XOAUTH2 share: the token validator, the mapping of the token's account claim to an account
/// (looked up like a login name: account name or address), the authorization-identity rule, and the text of the error
/// challenge. One instance per server, held by both mechanisms.
/// </summary>
public sealed class BearerTokenAuthority
{
    /// <summary>The longest token accepted, in octets: 6 KiB, inside <see cref="SaslLimits.DefaultMaxResponseBytes"/>
    /// with the other fields; real access tokens are 1–2 KiB.</summary>
    public const int MaxTokenOctets = 6 * 1024;

    /// <summary>Creates the authority over <paramref name="validator"/>.</summary>
    public BearerTokenAuthority(ITokenValidator validator, OAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(options);
        Validator = validator;
        Options = options;
    }

    /// <summary>Checks tokens.</summary>
    public ITokenValidator Validator { get; }

    /// <summary>The OAuth settings (scope and discovery URL for the error challenge).</summary>
    public OAuthOptions Options { get; }

    /// <summary>
    /// Validates <paramref name="token"/>, maps it to an account and checks <paramref name="authzid"/> (the identity
    /// the client asked to act as, or null): it must name that same account, since Rampart has no proxy
    /// authorization. Returns the success step, or the failure step to give after the error challenge.
    /// </summary>
    internal async ValueTask<SaslStep> AuthenticateAsync(string token, string? authzid, string mechanism, SaslContext context, CancellationToken cancellationToken)
    {
        var validation = await Validator.ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return SaslStep.Failure(SaslFailureReason.BadCredentials, authzid);
        }

        var lookup = await context.Credentials.FindAsync(validation.AccountName!, cancellationToken).ConfigureAwait(false);
        if (lookup is null)
        {
            return SaslStep.Failure(SaslFailureReason.UnknownUser, authzid ?? validation.AccountName);
        }

        if (authzid is not null)
        {
            var asked = await context.Credentials.FindAsync(authzid, cancellationToken).ConfigureAwait(false);
            if (asked is null || !string.Equals(asked.AccountName, lookup.AccountName, StringComparison.Ordinal))
            {
                return SaslStep.Failure(SaslFailureReason.AuthzidNotAllowed, authzid);
            }
        }

        return SaslStep.Success(new SaslIdentity(lookup.AccountName, mechanism), attemptedUser: authzid ?? validation.AccountName);
    }

    /// <summary>True when <paramref name="token"/> has the b64token syntax of RFC 6750 §2.1 and a sane length.</summary>
    internal static bool IsBearerToken(ReadOnlySpan<byte> token)
    {
        if (token.IsEmpty || token.Length > MaxTokenOctets)
        {
            return false;
        }

        var end = token.Length;
        while (end > 0 && token[end - 1] == (byte)'=')
        {
            end--;
        }

        if (end == 0)
        {
            return false;
        }

        foreach (var b in token[..end])
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~' or (byte)'+' or (byte)'/'))
            {
                return false;
            }
        }

        return true;
    }
}
