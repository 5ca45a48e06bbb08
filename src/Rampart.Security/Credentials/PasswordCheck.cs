namespace Rampart.Security.Credentials;

/// <summary>The result of <see cref="PasswordAuthenticator.CheckAsync"/>.</summary>
/// <param name="Outcome">What happened; anything but <see cref="PasswordCheckOutcome.Success"/> is a failure.</param>
/// <param name="AccountName">The canonical account name when the account exists, else null.</param>
/// <param name="NeedsRehash">On success: the stored hash is weaker than the current cost and should be re-derived from the password just verified.</param>
public readonly record struct PasswordCheck(PasswordCheckOutcome Outcome, string? AccountName, bool NeedsRehash = false)
{
    /// <summary>Which secret matched: the main password or an app password.</summary>
    public CredentialKind Kind { get; init; }

    /// <summary>True only for <see cref="PasswordCheckOutcome.Success"/>.</summary>
    public bool Succeeded => Outcome == PasswordCheckOutcome.Success;
}
