namespace Rampart.Net.Options;

/// <summary>Global IP rules applied at accept time, before the server sends a byte.</summary>
/// <remarks>Bound from configuration section <c>Access</c>. Entries are CIDR (<c>192.0.2.0/24</c>,
/// <c>2001:db8::/32</c>) or single addresses. IPv4-mapped IPv6 addresses are matched as IPv4.</remarks>
public sealed class AccessOptions
{
    /// <summary>When not empty, only these networks may connect. Default empty: everyone (the deny list,
    /// bans and authentication still apply).</summary>
    public IList<string> Allow { get; } = [];

    /// <summary>Networks that are always refused; deny wins over allow. Default empty.</summary>
    public IList<string> Deny { get; } = [];

    /// <summary>Peers (load balancers) that must send a PROXY protocol v2 header, whose source address is then
    /// taken as the client's. Default empty: a header from anyone else is never parsed (SECURITY.md I03).</summary>
    public IList<string> ProxyTrusted { get; } = [];

    /// <summary>Time a trusted proxy has to send its header. Default 10 s: a proxy sends it at once.</summary>
    public TimeSpan ProxyHeaderTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
