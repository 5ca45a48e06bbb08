namespace Rampart.Security.OAuth;

/// <summary>Checks a bearer access token and says which account name it carries (the configured claim).</summary>
public interface ITokenValidator
{
    /// <summary>Validates <paramref name="token"/>; never throws for a bad token, whatever it contains.</summary>
    ValueTask<TokenValidation> ValidateAsync(string token, CancellationToken cancellationToken);
}
