using Rampart.Store.Model;

namespace Rampart.Store;

/// <summary>The store every protocol talks to. One instance per process; a backend (SQLite embedded, PostgreSQL
/// for many nodes) implements it and passes the shared store test suite.</summary>
public interface IMailStore : IAsyncDisposable
{
    /// <summary>Creates an account with its default mailboxes (INBOX, Sent, Drafts, Trash, Junk, Archive with their special-use attributes).</summary>
    /// <exception cref="StoreException">AlreadyExists when the name or an address is taken; InvalidName for a bad name.</exception>
    Task<Account> CreateAccountAsync(string name, IReadOnlyList<string> addresses, CancellationToken cancellationToken = default);

    /// <summary>Finds an account by login name or by one of its addresses (case-insensitive).</summary>
    Task<Account?> FindAccountAsync(string nameOrAddress, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken cancellationToken = default);

    Task SetAccountEnabledAsync(string name, bool enabled, CancellationToken cancellationToken = default);

    Task AddAddressAsync(string name, string address, CancellationToken cancellationToken = default);

    Task RemoveAddressAsync(string name, string address, CancellationToken cancellationToken = default);

    /// <summary>Deletes the account, its mailboxes, messages and secrets; blobs no longer referenced are removed.</summary>
    Task DeleteAccountAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Reads an opaque per-account secret record (credentials, TOTP seed…) that Rampart.Security serialises; null when unset.</summary>
    Task<string?> GetSecretAsync(long accountId, string kind, CancellationToken cancellationToken = default);

    /// <summary>Writes (or with null, removes) an opaque per-account secret record, durably.</summary>
    Task SetSecretAsync(long accountId, string kind, string? value, CancellationToken cancellationToken = default);

    /// <summary>Opens one account's mailboxes for a session. Many may be open at once for one account.</summary>
    Task<IAccountStore> OpenAccountAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Delivers one message to many targets: the body is streamed to a blob once, fsynced, then each target's
    /// metadata is committed. Each target succeeds or fails on its own (LMTP answers per recipient).</summary>
    Task<IReadOnlyList<DeliveryOutcome>> DeliverAsync(Stream message, IReadOnlyList<DeliveryTarget> targets, DateTimeOffset? internalDate = null, CancellationToken cancellationToken = default);
}
