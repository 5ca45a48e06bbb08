using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Rampart.Smtp.Outbound;

/// <summary>Finds where to deliver a domain's mail (RFC 5321 §5.1): its MX records in preference order (equal
/// preferences shuffled, as §5.1 asks), the implicit MX (the domain itself) when there is none, the null MX of
/// RFC 7505, and address literals (<c>[192.0.2.1]</c>, RFC 5321 §4.1.3) without any lookup.</summary>
public sealed class MxResolver
{
    /// <summary>At most this many MX hosts are tried per domain: a hostile zone with thousands of MX records cannot
    /// turn one message into thousands of connections. 10.</summary>
    public const int MaxMxHosts = 10;

    private readonly LookupClient client;

    /// <summary>Queries <paramref name="servers"/> (the system's resolvers when empty), each query bounded by <paramref name="timeout"/>.</summary>
    public MxResolver(IReadOnlyList<IPEndPoint> servers, TimeSpan timeout)
    {
        var options = servers.Count > 0 ? new LookupClientOptions([.. servers]) : new LookupClientOptions();
        options.Timeout = timeout;
        options.Retries = 1;
        options.UseCache = true;
        options.ThrowDnsErrors = false;
        options.UseTcpFallback = true;
        options.ContinueOnDnsError = false;
        client = new LookupClient(options);
    }

    /// <summary>The hosts for <paramref name="domain"/> (an A-label domain or an address literal).</summary>
    public async Task<MxLookup> LookupAsync(string domain, CancellationToken cancellationToken)
    {
        if (domain.StartsWith('[') && domain.EndsWith(']'))
        {
            var literal = domain[1..^1];
            if (literal.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
            {
                literal = literal[5..];
            }

            return IPAddress.TryParse(literal, out var address)
                ? new MxLookup(MxLookupKind.Hosts, [new MxHost(address.ToString(), 0, [address])])
                : new MxLookup(MxLookupKind.NoSuchDomain, [], $"{domain}: not an address literal");
        }

        IDnsQueryResponse response;
        try
        {
            response = await client.QueryAsync(domain, QueryType.MX, QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException e)
        {
            return new MxLookup(MxLookupKind.TemporaryFailure, [], $"MX lookup for {domain} failed: {e.Message}");
        }

        if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
        {
            return new MxLookup(MxLookupKind.NoSuchDomain, [], $"{domain}: no such domain (NXDOMAIN)");
        }

        if (response.HasError)
        {
            return new MxLookup(MxLookupKind.TemporaryFailure, [], $"MX lookup for {domain} failed: {response.ErrorMessage}");
        }

        var records = response.Answers.MxRecords().ToList();
        if (records.Count == 0)
        {
            // RFC 5321 §5.1: no MX records — the domain itself is the implicit MX, if it has an address.
            var addresses = await AddressesAsync(domain, cancellationToken);
            if (addresses.Kind == MxLookupKind.TemporaryFailure)
            {
                return addresses;
            }

            return addresses.Hosts.Count > 0 && addresses.Hosts[0].Addresses is { Count: > 0 }
                ? new MxLookup(MxLookupKind.Hosts, [new MxHost(domain, 0, addresses.Hosts[0].Addresses)])
                : new MxLookup(MxLookupKind.NoSuchDomain, [], $"{domain}: no MX and no address records");
        }

        // RFC 7505 §3: a single MX with preference 0 and the root as exchange says "no mail here". A "." among other
        // records is nonsense and is skipped (§4.3).
        if (records.Count == 1 && IsRoot(records[0].Exchange.Value))
        {
            return new MxLookup(MxLookupKind.NullMx, [], $"{domain} accepts no mail (null MX, RFC 7505)");
        }

        var hosts = records
            .Where(r => !IsRoot(r.Exchange.Value))
            .GroupBy(r => r.Preference)
            .OrderBy(g => g.Key)
            .SelectMany(g => g.OrderBy(_ => Random.Shared.Next()))
            .Select(r => new MxHost(r.Exchange.Value.TrimEnd('.').ToLowerInvariant(), r.Preference))
            .DistinctBy(h => h.Name)
            .Take(MaxMxHosts)
            .ToList();
        return new MxLookup(MxLookupKind.Hosts, hosts);
    }

    /// <summary>The IPv4 and IPv6 addresses of <paramref name="host"/>, IPv4 first; one host in the result.</summary>
    public async Task<MxLookup> AddressesAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = new List<IPAddress>();
        string? error = null;
        var answered = false;
        foreach (var type in new[] { QueryType.A, QueryType.AAAA })
        {
            try
            {
                var response = await client.QueryAsync(host, type, QueryClass.IN, cancellationToken);
                if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
                {
                    error = $"{type} lookup for {host} failed: {response.ErrorMessage}";
                    continue;
                }

                answered = true;
                addresses.AddRange(response.Answers.OfType<AddressRecord>().Select(r => r.Address)
                    .Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6));
            }
            catch (DnsResponseException e)
            {
                error = $"{type} lookup for {host} failed: {e.Message}";
            }
        }

        if (addresses.Count == 0 && !answered)
        {
            return new MxLookup(MxLookupKind.TemporaryFailure, [], error);
        }

        return new MxLookup(MxLookupKind.Hosts, [new MxHost(host, 0, addresses)], error);
    }

    private static bool IsRoot(string exchange) => exchange is "." or "";
}
