using Rampart.Security.Credentials;
using Rampart.Security.Passwords;
using Rampart.Store;
using Rampart.Store.Model;

namespace Rampart.Server.Accounts;

/// <summary>Keeps each account's <see cref="PasswordCredential"/> (Argon2id hash and SCRAM keys, nothing
/// password-equivalent) in the store's per-account secrets, and serves them to SASL as an <see cref="ICredentialSource"/>.</summary>
public sealed class AccountCredentials : ICredentialSource
{
    /// <summary>The secret kind the credential is stored under.</summary>
    public const string PasswordSecret = "password";

    private readonly IMailStore store;
    private readonly PasswordHasher hasher;

    public AccountCredentials(IMailStore store, PasswordHasher? hasher = null)
    {
        this.store = store;
        this.hasher = hasher ?? new PasswordHasher();
    }

    /// <summary>Derives and stores a new credential; the old one stops working at once.</summary>
    public async Task SetPasswordAsync(Account account, string password, CancellationToken cancellationToken)
    {
        PasswordCredential credential;
        try
        {
            credential = PasswordCredential.Create(password, hasher, DateTimeOffset.UtcNow);
        }
        catch (ArgumentException e)
        {
            throw new Cli.CliException(Cli.ExitCodes.DataError, $"password refused: {e.Message}");
        }

        await store.SetSecretAsync(account.Id, PasswordSecret, credential.Serialize(), cancellationToken);
    }

    /// <summary>When the password was last set, or null when the account has none.</summary>
    public async Task<DateTimeOffset?> PasswordChangedAsync(Account account, CancellationToken cancellationToken) =>
        PasswordCredential.TryParse(await store.GetSecretAsync(account.Id, PasswordSecret, cancellationToken), out var credential)
            ? credential.ChangedAt
            : null;

    /// <inheritdoc/>
    public async ValueTask<CredentialLookup?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        var account = await store.FindAccountAsync(userName, cancellationToken);
        if (account is null)
        {
            return null;
        }

        // A damaged or missing record means no password login, never an exception: SASL then fails generically.
        var credential = PasswordCredential.TryParse(await store.GetSecretAsync(account.Id, PasswordSecret, cancellationToken), out var parsed) ? parsed : null;
        return new CredentialLookup(account.Name, account.Enabled, credential);
    }
}
