using Rampart.Store;
using Rampart.Store.Model;

namespace Rampart.Server.Cli.User;

/// <summary>Finds the account a verb names, or fails with "no account" and exit code 67.</summary>
internal static class UserLookup
{
    public static async Task<Account> FindAsync(IMailStore store, string name, CancellationToken cancellationToken) =>
        await store.FindAccountAsync(name, cancellationToken) is { } account && string.Equals(account.Name, name, StringComparison.OrdinalIgnoreCase)
            ? account
            : throw new CliException(ExitCodes.NoUser, $"no account {name}");
}
