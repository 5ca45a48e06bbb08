namespace Rampart.Smtp.SenderChecks.Dns;

/// <summary>Where Rampart sends its DNS queries (configuration section <c>Smtp:Dns</c>).</summary>
public sealed class DnsOptions
{
    /// <summary>Resolvers as <c>address</c> or <c>address:port</c> (<c>[v6]:port</c> for IPv6), e.g.
    /// <c>127.0.0.1:5353</c>. Empty (the default): the system's resolvers. Point this at a validating local
    /// resolver: SPF, DKIM and DMARC trust what it answers.</summary>
    public IList<string> Servers { get; init; } = [];

    /// <summary>How long one query may take before it counts as a temporary error. Default 5 s: RFC 7208 §4.6.4
    /// asks for an overall SPF budget of at least 20 s, and one slow server should not hold a session longer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after a timeout. Default 1.</summary>
    public int Retries { get; init; } = 1;
}
