namespace Rampart.Smtp.Domains;

/// <summary>A fixed set of hosted domains (case-insensitive), e.g. from configuration or for tests.</summary>
public sealed class HostedDomainSet : IHostedDomains
{
    private readonly HashSet<string> _domains;

    public HostedDomainSet(IEnumerable<string> domains)
    {
        ArgumentNullException.ThrowIfNull(domains);
        _domains = new HashSet<string>(domains.Select(d => d.Trim().TrimEnd('.')), StringComparer.OrdinalIgnoreCase);
    }

    public bool IsHosted(string domain) => domain is not null && _domains.Contains(domain.TrimEnd('.'));
}
