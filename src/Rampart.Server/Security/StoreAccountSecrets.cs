using Rampart.Security.Credentials;
using Rampart.Store;

namespace Rampart.Server.Security;

/// <summary>Rampart.Security's per-account secret records (<see cref="SecretKinds"/>) kept in the store's per-account
/// secrets, found by account name.</summary>
public sealed class StoreAccountSecrets : IAccountSecrets
{
    private readonly IMailStore store;

    public StoreAccountSecrets(IMailStore store) => this.store = store;

    /// <inheritdoc/>
    public async ValueTask<string?> GetAsync(string accountName, string kind, CancellationToken cancellationToken) =>
        await store.FindAccountAsync(accountName, cancellationToken) is { } account
            ? await store.GetSecretAsync(account.Id, kind, cancellationToken)
            : null;

    /// <inheritdoc/>
    public async ValueTask SetAsync(string accountName, string kind, string? value, CancellationToken cancellationToken)
    {
        var account = await store.FindAccountAsync(accountName, cancellationToken)
            ?? throw new StoreException(StoreError.NotFound, $"no account {accountName}");
        await store.SetSecretAsync(account.Id, kind, value, cancellationToken);
    }
}
