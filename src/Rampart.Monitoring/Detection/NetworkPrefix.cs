using System.Net;
using System.Net.Sockets;

namespace Rampart.Monitoring.Detection;

/// <summary>Maps an address to the network it counts as (IPv4-mapped IPv6 as IPv4).</summary>
public static class NetworkPrefix
{
    /// <summary>The network in CIDR form, e.g. <c>192.0.2.0/24</c>.</summary>
    public static string Of(IPAddress address, int ipv4Prefix, int ipv6Prefix)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var prefix = address.AddressFamily == AddressFamily.InterNetwork ? Math.Clamp(ipv4Prefix, 0, 32) : Math.Clamp(ipv6Prefix, 0, 128);
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return $"{new IPAddress(bytes)}/{prefix}";
    }
}
