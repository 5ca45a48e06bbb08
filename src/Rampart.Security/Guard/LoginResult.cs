using Rampart.Security.AppPasswords;
using Rampart.Security.Credentials;

namespace Rampart.Security.Guard;

/// <summary>The outcome of <see cref="LoginAuthenticator.CheckAsync"/>: what to reply, and what to log.</summary>
public sealed record LoginResult
{
    /// <summary>What to tell the client.</summary>
    public required LoginOutcome Outcome { get; init; }

    /// <summary>Why, for the audit log only.</summary>
    public LoginFailureReason Reason { get; init; }

    /// <summary>The canonical account name on success or expiry; null otherwise (even when the account exists, so a
    /// caller cannot leak it by accident).</summary>
    public string? AccountName { get; init; }

    /// <summary>Which secret matched.</summary>
    public CredentialKind Kind { get; init; }

    /// <summary>The app password used, when <see cref="Kind"/> is <see cref="CredentialKind.AppPassword"/>.</summary>
    public AppPasswordMatch? AppPassword { get; init; }

    /// <summary>For an app-password login: fires when that app password is revoked; the session then ends (F02).
    /// <see cref="CancellationToken.None"/> otherwise.</summary>
    public CancellationToken Revoked { get; init; }

    /// <summary>The delay the guard imposed before the check.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Detail for the audit log (e.g. the access rule that refused); never a secret.</summary>
    public string Detail { get; init; } = string.Empty;

    /// <summary>True for <see cref="LoginOutcome.Success"/>.</summary>
    public bool Succeeded => Outcome == LoginOutcome.Success;
}
