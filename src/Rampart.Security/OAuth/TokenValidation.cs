namespace Rampart.Security.OAuth;

/// <summary>The outcome of <see cref="ITokenValidator.ValidateAsync"/>.</summary>
/// <param name="IsValid">True when the token is genuine, current and meant for this server.</param>
/// <param name="AccountName">The value of the account claim (a login name or address) when valid.</param>
/// <param name="Reason">Why the token was refused, for the audit log only (never the token).</param>
public sealed record TokenValidation(bool IsValid, string? AccountName, string Reason)
{
    /// <summary>A valid token naming <paramref name="accountName"/>.</summary>
    public static TokenValidation Valid(string accountName) => new(true, accountName, string.Empty);

    /// <summary>A refused token.</summary>
    public static TokenValidation Invalid(string reason) => new(false, null, reason);
}
