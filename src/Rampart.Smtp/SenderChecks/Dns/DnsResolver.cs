using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Rampart.Smtp.SenderChecks.Dns;

/// <summary>The DNS queries sender checks and outbound delivery make, over DnsClient's <see cref="LookupClient"/>, with
/// answers reduced to <see cref="DnsAnswer{T}"/>. It never throws for what a server answers: errors become
/// <see cref="DnsStatus.TemporaryError"/>.</summary>
public sealed class DnsResolver
{
    private readonly LookupClient client;
    private readonly LookupClient dnssecClient;

    /// <summary>A resolver using <paramref name="options"/>' servers, or the system's when it lists none.</summary>
    public DnsResolver(DnsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var servers = options.Servers.Select(ParseServer).ToArray();
        var lookup = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        lookup.UseCache = true;
        lookup.Timeout = options.Timeout;
        lookup.Retries = options.Retries;
        lookup.ThrowDnsErrors = false;
        lookup.ContinueOnDnsError = false;
        lookup.ContinueOnEmptyResponse = false;
        lookup.UseTcpFallback = true;
        client = new LookupClient(lookup);

        // RFC 6840 §5.7: a validating resolver sets AD only for queries with DO (or AD) set. A second client so that
        // SPF/DKIM queries do not carry RRSIGs they never use.
        var dnssec = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        dnssec.UseCache = true;
        dnssec.Timeout = options.Timeout;
        dnssec.Retries = options.Retries;
        dnssec.ThrowDnsErrors = false;
        dnssec.ContinueOnDnsError = false;
        dnssec.ContinueOnEmptyResponse = false;
        dnssec.UseTcpFallback = true;
        dnssec.RequestDnsSecRecords = true;
        dnssecClient = new LookupClient(dnssec);
    }

    /// <summary>A resolver asking only the given servers (tests give the loopback one).</summary>
    public DnsResolver(params IPEndPoint[] servers)
        : this(new DnsOptions { Servers = [.. servers.Select(s => s.ToString())] })
    {
    }

    /// <summary>TXT records, each one's character-strings concatenated without separator (RFC 7208 §3.3,
    /// RFC 6376 §3.6.2.2).</summary>
    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellationToken = default) =>
        QueryAsync(name, QueryType.TXT, r => r is TxtRecord t ? string.Concat(t.Text) : null, cancellationToken);

    /// <summary>A records, or AAAA records when <paramref name="family"/> is IPv6.</summary>
    public Task<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken = default) =>
        family == AddressFamily.InterNetworkV6
            ? QueryAsync(name, QueryType.AAAA, r => (r as AaaaRecord)?.Address, cancellationToken)
            : QueryAsync(name, QueryType.A, r => (r as ARecord)?.Address, cancellationToken);

    /// <summary>MX records.</summary>
    public Task<DnsAnswer<MxHost>> MxAsync(string name, CancellationToken cancellationToken = default) =>
        QueryAsync(name, QueryType.MX, r => r is MxRecord m ? new MxHost(m.Preference, Trim(m.Exchange.Value)) : null, cancellationToken);

    /// <summary>PTR records of <paramref name="address"/> (reverse DNS).</summary>
    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        return QueryAsync(address.GetArpaName(), QueryType.PTR, r => r is PtrRecord p ? Trim(p.PtrDomainName.Value) : null, cancellationToken);
    }

    /// <summary>TLSA records (DANE) at <paramref name="name"/>, e.g. <c>_25._tcp.mx.example.com</c>, asked with the DO
    /// bit so that <see cref="DnsAnswer{T}.Authenticated"/> reports the resolver's AD bit (RFC 7672 §2.2).</summary>
    public Task<DnsAnswer<TlsaRecord>> TlsaAsync(string name, CancellationToken cancellationToken = default) =>
        QueryAsync(name, QueryType.TLSA, r => r as TlsaRecord, cancellationToken, dnssecClient);

    /// <summary>MX records asked with the DO bit: <see cref="DnsAnswer{T}.Authenticated"/> says whether the MX RRset is
    /// DNSSEC-secure, which DANE needs before it trusts the MX host names (RFC 7672 §2.2.1).</summary>
    public Task<DnsAnswer<MxHost>> SecureMxAsync(string name, CancellationToken cancellationToken = default) =>
        QueryAsync(name, QueryType.MX, r => r is MxRecord m ? new MxHost(m.Preference, Trim(m.Exchange.Value)) : null, cancellationToken, dnssecClient);

    /// <summary>A records asked with the DO bit, for the AD bit of an implicit MX (RFC 7672 §2.2.1).</summary>
    public Task<DnsAnswer<IPAddress>> SecureAddressesAsync(string name, CancellationToken cancellationToken = default) =>
        QueryAsync(name, QueryType.A, r => (r as ARecord)?.Address, cancellationToken, dnssecClient);

    /// <summary>A or AAAA records asked with the DO bit: whether an MX host's addresses are DNSSEC-secure, and the
    /// CNAME-expanded name they were found at (RFC 7672 §2.2.2).</summary>
    public Task<DnsAnswer<IPAddress>> SecureAddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken = default) =>
        family == AddressFamily.InterNetworkV6
            ? QueryAsync(name, QueryType.AAAA, r => (r as AaaaRecord)?.Address, cancellationToken, dnssecClient)
            : SecureAddressesAsync(name, cancellationToken);

    private async Task<DnsAnswer<T>> QueryAsync<T>(string name, QueryType type, Func<DnsResourceRecord, T?> select, CancellationToken cancellationToken, LookupClient? through = null)
        where T : class
    {
        IDnsQueryResponse response;
        try
        {
            response = await (through ?? client).QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DnsResponseException or ArgumentException or SocketException or IOException or TimeoutException or FormatException or InvalidOperationException)
        {
            // Unreachable servers, truncated or malformed answers and names DnsClient refuses (too long, bad labels):
            // nothing the sender can be blamed for with certainty, so a temporary error.
            return new DnsAnswer<T>(DnsStatus.TemporaryError, []);
        }

        switch (response.Header.ResponseCode)
        {
            case DnsHeaderResponseCode.NotExistentDomain:
                return new DnsAnswer<T>(DnsStatus.NotFound, [], response.Header.IsAuthenticData);
            case DnsHeaderResponseCode.NoError:
                var records = response.Answers.Select(select).OfType<T>().ToArray();
                return new DnsAnswer<T>(records.Length > 0 ? DnsStatus.Found : DnsStatus.NoData, records, response.Header.IsAuthenticData)
                {
                    CanonicalName = CanonicalName(name, response.Answers),
                };
            default:
                return new DnsAnswer<T>(DnsStatus.TemporaryError, []);
        }
    }

    private static string Trim(string name) => name.EndsWith('.') ? name[..^1] : name;

    /// <summary>Follows the CNAME records of an answer from <paramref name="name"/>; null when there is none. Bounded by
    /// the number of records, so a loop in a hostile answer ends.</summary>
    private static string? CanonicalName(string name, IReadOnlyList<DnsResourceRecord> answers)
    {
        var aliases = answers.OfType<CNameRecord>().ToList();
        string? expanded = null;
        var current = Trim(name);
        for (var i = 0; i < aliases.Count; i++)
        {
            var next = aliases.FirstOrDefault(a => string.Equals(Trim(a.DomainName.Value), current, StringComparison.OrdinalIgnoreCase));
            if (next is null)
            {
                break;
            }

            current = Trim(next.CanonicalName.Value);
            expanded = current;
        }

        return expanded;
    }

    private static IPEndPoint ParseServer(string server)
    {
        if (IPEndPoint.TryParse(server, out var endpoint))
        {
            if (endpoint.Port == 0)
            {
                endpoint.Port = 53;
            }

            return endpoint;
        }

        throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Smtp:Dns:Servers: '{server}' is not an address or address:port"));
    }
}
