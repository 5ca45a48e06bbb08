using System.Net;

namespace Rampart.Security.Guard;

/// <summary>
/// Counts authenticated sessions per account and per account+client (IPv4 address or IPv6 /64), across protocols,
/// so one stolen password or one runaway client cannot hold every connection (SECURITY.md "limits", C01). Over a limit
/// the protocol answers IMAP <c>NO [LIMIT]</c> / POP3 <c>-ERR [SYS/TEMP]</c> and keeps the sessions already open.
/// Thread-safe.
/// </summary>
public sealed class SessionLimiter
{
    /// <summary>Default sessions per account and client: 10 (a phone, a laptop and a desktop client each open several).</summary>
    public const int DefaultPerUserAndIp = 10;

    /// <summary>Default sessions per account: 16.</summary>
    public const int DefaultPerAccount = 16;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _perAccount = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, IPNetwork), int> _perClient = [];

    /// <summary>Creates a limiter.</summary>
    public SessionLimiter(int perUserAndIp = DefaultPerUserAndIp, int perAccount = DefaultPerAccount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perUserAndIp, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perAccount, 1);
        PerUserAndIp = perUserAndIp;
        PerAccount = perAccount;
    }

    /// <summary>The limit per account and client.</summary>
    public int PerUserAndIp { get; }

    /// <summary>The limit per account.</summary>
    public int PerAccount { get; }

    /// <summary>Counts a new session of <paramref name="accountName"/> from <paramref name="client"/>; null when a limit
    /// refuses it.</summary>
    public SessionLease? TryAcquire(string accountName, IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(accountName);
        ArgumentNullException.ThrowIfNull(client);
        var account = accountName.ToLowerInvariant();
        var key = ClientNetworks.CounterKey(client);
        lock (_lock)
        {
            var total = _perAccount.GetValueOrDefault(account);
            var fromClient = _perClient.GetValueOrDefault((account, key));
            if (total >= PerAccount || fromClient >= PerUserAndIp)
            {
                return null;
            }

            _perAccount[account] = total + 1;
            _perClient[(account, key)] = fromClient + 1;
        }

        return new SessionLease(this, account, key);
    }

    /// <summary>Sessions open for <paramref name="accountName"/>.</summary>
    public int SessionsOf(string accountName)
    {
        lock (_lock)
        {
            return _perAccount.GetValueOrDefault(accountName.ToLowerInvariant());
        }
    }

    internal void Release(string account, IPNetwork client)
    {
        lock (_lock)
        {
            // Entries at zero are removed so that the maps hold only live sessions.
            if (_perAccount.TryGetValue(account, out var total))
            {
                if (total <= 1)
                {
                    _perAccount.Remove(account);
                }
                else
                {
                    _perAccount[account] = total - 1;
                }
            }

            if (_perClient.TryGetValue((account, client), out var fromClient))
            {
                if (fromClient <= 1)
                {
                    _perClient.Remove((account, client));
                }
                else
                {
                    _perClient[(account, client)] = fromClient - 1;
                }
            }
        }
    }
}
