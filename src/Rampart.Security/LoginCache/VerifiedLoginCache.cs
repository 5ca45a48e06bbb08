using System.Net;
using System.Security.Cryptography;
using System.Text;
using Rampart.Security.Guard;

namespace Rampart.Security.LoginCache;

/// <summary>
/// Remembers logins that were verified recently, so a client that reconnects every minute pays the Argon2 cost once
/// per <see cref="Ttl"/> (SECURITY.md "credentials"). The key is HMAC-SHA-256 of the name as typed, the client's
/// network (IPv4 address or IPv6 /64) and the password under a per-process key, so the cache holds nothing
/// password-equivalent, and an entry made by the owner never answers fast for anyone elsewhere: a guesser refused by
/// the throttle or an access rule must not learn from a quick reply that the password was right (E02). A hit also needs the stored hash to be
/// the one that was verified, so a password changed by another process (the CLI) ends the hit at once. Every entry of
/// a user is dropped on any failure for that user and on a password change. No hit crosses users or aliases: the
/// typed name is in the key and the canonical account must match (A12). Thread-safe.
/// </summary>
public sealed class VerifiedLoginCache
{
    /// <summary>The default lifetime of an entry: 5 minutes.</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(5);

    /// <summary>The default number of entries: 10 000; past it the cache is cleared rather than grown.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, Entry> _entries = [];
    private readonly TimeProvider _time;

    /// <summary>Creates a cache.</summary>
    public VerifiedLoginCache(TimeProvider? time = null, TimeSpan? ttl = null, int capacity = DefaultCapacity)
    {
        _time = time ?? TimeProvider.System;
        Ttl = ttl ?? DefaultTtl;
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>How long an entry lives.</summary>
    public TimeSpan Ttl { get; }

    /// <summary>The most entries held.</summary>
    public int Capacity { get; }

    /// <summary>True when <paramref name="userName"/> with <paramref name="password"/> from <paramref name="client"/>'s
    /// network was verified for <paramref name="accountName"/> against <paramref name="storedHash"/> within the TTL.</summary>
    public bool IsVerified(string userName, IPAddress client, string password, string accountName, string storedHash)
    {
        var key = Key(userName, client, password);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var entry)
                && entry.Expires > now
                && string.Equals(entry.AccountName, accountName, StringComparison.Ordinal)
                && string.Equals(entry.StoredHash, storedHash, StringComparison.Ordinal);
        }
    }

    /// <summary>Remembers a login that succeeded (not merely a right password: a login refused by policy is not
    /// remembered).</summary>
    public void Add(string userName, IPAddress client, string password, string accountName, string storedHash)
    {
        var key = Key(userName, client, password);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_entries.Count >= Capacity)
            {
                foreach (var stale in _entries.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
                {
                    _entries.Remove(stale);
                }

                if (_entries.Count >= Capacity)
                {
                    _entries.Clear();
                }
            }

            _entries[key] = new Entry(Normalize(userName), accountName, storedHash, now + Ttl);
        }
    }

    /// <summary>Drops every entry for <paramref name="name"/> (a name as typed or an account name): after a failure or
    /// a password change.</summary>
    public void Forget(string name)
    {
        var normalized = Normalize(name);
        lock (_lock)
        {
            foreach (var key in _entries.Where(e => e.Value.UserName == normalized || string.Equals(e.Value.AccountName, name, StringComparison.OrdinalIgnoreCase)).Select(e => e.Key).ToList())
            {
                _entries.Remove(key);
            }
        }
    }

    /// <summary>Entries held now (expired ones included until they are swept).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    private static string Normalize(string userName) => userName.ToLowerInvariant();

    private Guid Key(string userName, IPAddress client, string password)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(password);
        var input = Encoding.UTF8.GetBytes(Normalize(userName) + "\0" + ClientNetworks.CounterKey(client) + "\0" + password);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, input, mac);
        CryptographicOperations.ZeroMemory(input);
        return new Guid(mac[..16]);
    }

    private sealed record Entry(string UserName, string AccountName, string StoredHash, DateTimeOffset Expires);
}
