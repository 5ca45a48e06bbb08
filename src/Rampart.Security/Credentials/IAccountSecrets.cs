namespace Rampart.Security.Credentials;

/// <summary>
/// Per-account secret records, by kind (<see cref="SecretKinds"/>). The server implements it over the store's
/// per-account secrets; Rampart.Security never references the store. Values are opaque strings (small JSON
/// documents) that only Rampart.Security reads.
/// </summary>
public interface IAccountSecrets
{
    /// <summary>Reads the record <paramref name="kind"/> of the account named <paramref name="accountName"/> (canonical
    /// name); null when unset or when the account does not exist.</summary>
    ValueTask<string?> GetAsync(string accountName, string kind, CancellationToken cancellationToken);

    /// <summary>Writes (or with null removes) the record durably.</summary>
    ValueTask SetAsync(string accountName, string kind, string? value, CancellationToken cancellationToken);
}
