using System.Collections.Concurrent;
using System.Net;
using Rampart.Net.Options;

namespace Rampart.Net.Access;

/// <summary>
/// The accept-time checks shared by every listener: global allow/deny lists, which peers may send a PROXY
/// header, and the per-IP and total connection counts.
/// </summary>
/// <remarks>One instance serves all listeners so the limits are server-wide.</remarks>
public sealed class ConnectionGate
{
    private readonly IPNetworkList _allow;
    private readonly IPNetworkList _deny;
    private readonly IPNetworkList _proxyTrusted;
    private readonly ConcurrentDictionary<IPAddress, int> _perClient = new();
    private int _total;

    /// <summary>Builds the gate; invalid CIDR entries throw <see cref="FormatException"/> naming the entry.</summary>
    public ConnectionGate(AccessOptions access, ConnectionLimitOptions limits)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(limits);
        _allow = new IPNetworkList(access.Allow, "Access:Allow");
        _deny = new IPNetworkList(access.Deny, "Access:Deny");
        _proxyTrusted = new IPNetworkList(access.ProxyTrusted, "Access:ProxyTrusted");
        Access = access;
        Limits = limits;
    }

    /// <summary>The access options in force.</summary>
    public AccessOptions Access { get; }

    /// <summary>The limits in force.</summary>
    public ConnectionLimitOptions Limits { get; }

    /// <summary>Open connections counted by this gate.</summary>
    public int TotalConnections => Volatile.Read(ref _total);

    /// <summary>
    /// An extra accept-time refusal the server plugs in: the authentication guard's bans and the server-wide access
    /// rules kept in the data directory (SECURITY.md B05, I01). It gets the client and the listener's protocol
    /// ("imap", "pop3", "smtp", …, or "*" when the listener names none), so that a rule for one protocol refuses only
    /// that protocol's listeners, and returns why it refuses, or null to let the client on. Null for none. Checked
    /// after the deny list, before the greeting; it must be cheap and must not throw.
    /// </summary>
    public Func<IPAddress, string, ConnectionRefusal?>? Refuse { get; set; }

    /// <summary>Whether the global lists let <paramref name="address"/> in. Deny wins over allow.</summary>
    public bool IsAllowed(IPAddress address) => Check(address, "*") is null;

    /// <summary>Why <paramref name="address"/> may not use a listener of <paramref name="protocol"/>, or null when it
    /// may. The deny list wins, then <see cref="Refuse"/>, then a non-empty allow list.</summary>
    public ConnectionRefusal? Check(IPAddress address, string protocol)
    {
        if (_deny.Contains(address))
        {
            return ConnectionRefusal.AccessDenied;
        }

        if (Refuse?.Invoke(address, protocol) is { } refusal)
        {
            return refusal;
        }

        return _allow.IsEmpty || _allow.Contains(address) ? null : ConnectionRefusal.AccessDenied;
    }

    /// <summary>Whether the peer is a trusted proxy whose PROXY v2 header is parsed.</summary>
    public bool IsProxyTrusted(IPAddress address) => _proxyTrusted.Contains(address);

    /// <summary>Counts a new connection from <paramref name="client"/>, or says which limit refuses it.</summary>
    /// <returns>A lease to dispose when the connection ends, or null when refused.</returns>
    public ConnectionLease? TryAcquire(IPAddress client, out ConnectionRefusal refusal)
    {
        refusal = default;
        if (Interlocked.Increment(ref _total) > Limits.MaxConnections)
        {
            Interlocked.Decrement(ref _total);
            refusal = ConnectionRefusal.TotalLimit;
            return null;
        }

        var key = IPAddressNormalization.ClientKey(client);
        var count = _perClient.AddOrUpdate(key, 1, static (_, n) => n + 1);
        if (count > Limits.MaxConnectionsPerIp)
        {
            ReleaseClient(key);
            Interlocked.Decrement(ref _total);
            refusal = ConnectionRefusal.PerIpLimit;
            return null;
        }

        return new ConnectionLease(this, key);
    }

    internal void ReleaseClient(IPAddress key)
    {
        // Remove the entry at zero so that the dictionary does not grow with every address ever seen.
        while (true)
        {
            var current = _perClient.GetValueOrDefault(key);
            if (current <= 1)
            {
                if (current == 0 || _perClient.TryRemove(new KeyValuePair<IPAddress, int>(key, current)))
                {
                    return;
                }
            }
            else if (_perClient.TryUpdate(key, current - 1, current))
            {
                return;
            }
        }
    }

    internal void ReleaseTotal() => Interlocked.Decrement(ref _total);

    /// <summary>Unauthenticated connections currently counted for the client key of <paramref name="client"/>.</summary>
    public int ConnectionsFrom(IPAddress client) => _perClient.GetValueOrDefault(IPAddressNormalization.ClientKey(client));
}
