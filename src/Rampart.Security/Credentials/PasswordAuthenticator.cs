using Rampart.Security.Passwords;

namespace Rampart.Security.Credentials;

/// <summary>
/// Checks a user name and password: the one path behind SASL PLAIN and LOGIN, IMAP LOGIN and POP3 USER/PASS.
/// Every path costs exactly one Argon2id verification (against a dummy hash for unknown users and accounts
/// without a password), so that the time to answer says nothing about whether the user exists
/// (SECURITY.md E01, E02).
/// </summary>
public sealed class PasswordAuthenticator
{
    private readonly ICredentialSource _credentials;
    private readonly PasswordHasher _hasher;

    /// <summary>Creates an authenticator over <paramref name="credentials"/>.</summary>
    public PasswordAuthenticator(ICredentialSource credentials, PasswordHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(hasher);
        _credentials = credentials;
        _hasher = hasher;
    }

    /// <summary>Checks <paramref name="password"/> for <paramref name="userName"/>.</summary>
    public async ValueTask<PasswordCheck> CheckAsync(string userName, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        var lookup = await _credentials.FindAsync(userName, cancellationToken).ConfigureAwait(false);
        if (lookup is null)
        {
            _hasher.VerifyUnknownUser(password);
            return new PasswordCheck(PasswordCheckOutcome.UnknownUser, null);
        }

        if (lookup.Password is null)
        {
            _hasher.VerifyUnknownUser(password);
            return new PasswordCheck(PasswordCheckOutcome.NoPassword, lookup.AccountName);
        }

        // A disabled account is verified like any other, so its reply takes as long as a wrong password.
        if (!_hasher.Verify(password, lookup.Password.PasswordHash))
        {
            return new PasswordCheck(PasswordCheckOutcome.BadPassword, lookup.AccountName);
        }

        return lookup.Enabled
            ? new PasswordCheck(PasswordCheckOutcome.Success, lookup.AccountName, _hasher.NeedsRehash(lookup.Password.PasswordHash))
            : new PasswordCheck(PasswordCheckOutcome.Disabled, lookup.AccountName);
    }
}
