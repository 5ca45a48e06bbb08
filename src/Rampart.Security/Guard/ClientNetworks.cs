using System.Net;
using System.Net.Sockets;
using Rampart.Net.Access;

namespace Rampart.Security.Guard;

/// <summary>How the guard groups addresses: one counter per IPv4 address or IPv6 /64 (SECURITY.md B03), and "known
/// networks" per account as an IPv4 /24 or an IPv6 /64, so the owner's home router getting a new address from its
/// provider's pool keeps the home network known.</summary>
public static class ClientNetworks
{
    /// <summary>The network a client is counted and banned as: the IPv4 address (/32), or its IPv6 /64.</summary>
    public static IPNetwork CounterKey(IPAddress client)
    {
        var key = IPAddressNormalization.ClientKey(client);
        return new IPNetwork(key, key.AddressFamily == AddressFamily.InterNetwork ? 32 : 64);
    }

    /// <summary>The network an account "knows" a client by: IPv4 /24, IPv6 /64.</summary>
    public static IPNetwork KnownNetworkKey(IPAddress client)
    {
        var normalized = IPAddressNormalization.Normalize(client);
        if (normalized.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> bytes = stackalloc byte[4];
            normalized.TryWriteBytes(bytes, out _);
            bytes[3] = 0;
            return new IPNetwork(new IPAddress(bytes), 24);
        }

        return CounterKey(normalized);
    }

    /// <summary>Parses a CIDR network or a single address (as /32 or /128), normalizing IPv4-mapped forms; false for anything else.</summary>
    public static bool TryParse(string? text, out IPNetwork network)
    {
        network = default;
        var entry = text?.Trim() ?? string.Empty;
        if (entry.Contains('/', StringComparison.Ordinal))
        {
            // "192.0.2.1/24" is refused rather than silently read as 192.0.2.0/24: the admin meant one of the two.
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            if (!IPNetwork.TryParse(entry, out network)
                || !IPAddress.TryParse(entry.AsSpan(0, slash), out var written)
                || !written.Equals(network.BaseAddress))
            {
                return false;
            }

            if (network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96)
            {
                network = new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96);
            }

            return true;
        }

        if (!IPAddress.TryParse(entry, out var address))
        {
            return false;
        }

        address = IPAddressNormalization.Normalize(address);
        network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    /// <summary>True when <paramref name="network"/> contains <paramref name="client"/> once normalized.</summary>
    public static bool Contains(IPNetwork network, IPAddress client) => network.Contains(IPAddressNormalization.Normalize(client));
}
