using System.Net;
using System.Net.Sockets;

namespace Rampart.Net.Access;

/// <summary>Puts client addresses in one canonical form before they are compared or counted.</summary>
public static class IPAddressNormalization
{
    /// <summary>
    /// Returns the IPv4 address for an IPv4-mapped IPv6 address (<c>::ffff:192.0.2.1</c>, what a dual-stack
    /// socket reports for an IPv4 client), and the address itself otherwise (with any IPv6 scope id dropped).
    /// Without this, a rule for 192.0.2.0/24 would not match the same client seen through a dual-stack socket
    /// (SECURITY.md I01).
    /// </summary>
    public static IPAddress Normalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            return new IPAddress(address.GetAddressBytes());
        }

        return address;
    }

    /// <summary>
    /// The key under which connections are counted per client: the IPv4 address, or the IPv6 /64.
    /// One IPv6 subscriber usually holds a whole /64, so counting single IPv6 addresses would let one host
    /// use 2^64 addresses to get around the per-IP limit.
    /// </summary>
    public static IPAddress ClientKey(IPAddress address)
    {
        var normalized = Normalize(address);
        if (normalized.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return normalized;
        }

        Span<byte> bytes = stackalloc byte[16];
        normalized.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
