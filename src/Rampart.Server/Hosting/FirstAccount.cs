using Rampart.Server.Accounts;
using Rampart.Store;

namespace Rampart.Server.Hosting;

/// <summary>On a store with no accounts, <c>serve</c> creates one so that a first start needs no other step.
/// Its password is generated, shown once, and stored only as a hash.</summary>
public static class FirstAccount
{
    /// <summary>The first account's name.</summary>
    public const string Name = "admin";

    /// <summary>Creates the first account when there is none; returns its name and password, or null.</summary>
    public static async Task<(string Name, string Password)?> CreateIfNoneAsync(IMailStore store, AccountCredentials credentials, CancellationToken cancellationToken)
    {
        if ((await store.ListAccountsAsync(cancellationToken)).Count > 0)
        {
            return null;
        }

        var password = PasswordGenerator.Generate();
        var account = await store.CreateAccountAsync(Name, [], cancellationToken);
        await credentials.SetPasswordAsync(account, password, cancellationToken);
        return (account.Name, password);
    }
}
