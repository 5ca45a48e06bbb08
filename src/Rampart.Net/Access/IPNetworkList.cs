using System.Net;

namespace Rampart.Net.Access;

/// <summary>A list of CIDR networks, matched against normalized addresses.</summary>
public sealed class IPNetworkList
{
    private readonly IPNetwork[] _networks;

    /// <summary>Parses each entry as CIDR or as a single address (a /32 or /128).</summary>
    /// <param name="entries">The configured entries.</param>
    /// <param name="listName">Name used in the error message, e.g. "Access:Deny".</param>
    /// <exception cref="FormatException">An entry is not a network; the message names the list and the entry.</exception>
    public IPNetworkList(IEnumerable<string> entries, string listName)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var networks = new List<IPNetwork>();
        foreach (var raw in entries)
        {
            var entry = raw?.Trim() ?? "";
            if (entry.Length == 0)
            {
                continue;
            }

            if (entry.Contains('/', StringComparison.Ordinal))
            {
                if (!IPNetwork.TryParse(entry, out var network))
                {
                    throw new FormatException($"{listName}: \"{entry}\" is not a CIDR network (e.g. 192.0.2.0/24 or 2001:db8::/32); the host bits after the prefix must be zero.");
                }

                networks.Add(Normalize(network));
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                address = IPAddressNormalization.Normalize(address);
                networks.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                throw new FormatException($"{listName}: \"{entry}\" is neither an IP address nor a CIDR network.");
            }
        }

        _networks = [.. networks];
    }

    /// <summary>True when the list has no entry.</summary>
    public bool IsEmpty => _networks.Length == 0;

    /// <summary>Whether <paramref name="address"/> (normalized first) lies in one of the networks.</summary>
    public bool Contains(IPAddress address)
    {
        var normalized = IPAddressNormalization.Normalize(address);
        foreach (var network in _networks)
        {
            if (network.Contains(normalized))
            {
                return true;
            }
        }

        return false;
    }

    // ::ffff:192.0.2.0/120 written by an admin means 192.0.2.0/24.
    private static IPNetwork Normalize(IPNetwork network)
    {
        if (network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96)
        {
            return new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96);
        }

        return network;
    }
}
