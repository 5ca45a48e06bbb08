using Rampart.Store;

namespace Rampart.Smtp.Domains;

/// <summary>The hosted domains when none are configured: every domain that appears in an account's addresses.</summary>
/// <remarks>The list is read from the store at most once per <see cref="RefreshInterval"/>, so an account added with
/// a new domain receives mail within that time without a restart, and a flood of RCPTs does not become a flood of
/// store reads.</remarks>
public sealed class AccountAddressDomains : IHostedDomains
{
    private readonly IMailStore _store;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private HashSet<string> _domains = new(StringComparer.OrdinalIgnoreCase);
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public AccountAddressDomains(IMailStore store, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How long a read of the accounts' domains is reused. Default 30 seconds.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    public bool IsHosted(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        HashSet<string> domains;
        lock (_gate)
        {
            if (_time.GetUtcNow() - _readAt > RefreshInterval)
            {
                // IHostedDomains is synchronous; the store read is short and happens once per interval.
                var accounts = _store.ListAccountsAsync().GetAwaiter().GetResult();
                _domains = new HashSet<string>(
                    accounts.SelectMany(a => a.Addresses).Select(a => a[(a.LastIndexOf('@') + 1)..]),
                    StringComparer.OrdinalIgnoreCase);
                _readAt = _time.GetUtcNow();
            }

            domains = _domains;
        }

        return domains.Contains(domain.TrimEnd('.'));
    }
}
