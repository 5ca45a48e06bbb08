using System.Net.Sockets;
using DnsClient.Protocol;
using Rampart.Smtp.SenderChecks.Dns;

namespace Rampart.Smtp.Outbound.Dane;

/// <summary>Looks up the TLSA records of an MX host at <c>_25._tcp.HOST</c> (RFC 7672 §2.2) and believes them only
/// when the resolver vouched for them with the AD bit. Rampart does not validate DNSSEC itself: the resolver in
/// <c>Smtp:Dns:Servers</c> must be a local validating one, declared with <c>Smtp:Dns:Validating=true</c>.</summary>
public sealed class DaneLookup
{
    private readonly DnsResolver dns;

    public DaneLookup(DnsResolver dns) => this.dns = dns;

    /// <summary>Whether the MX RRset of <paramref name="domain"/> is DNSSEC-secure, or, for a domain without MX records
    /// (the implicit MX), its address records: RFC 7672 §2.2.1 uses TLSA records only for MX hosts obtained securely.</summary>
    public async Task<bool> IsMxSecureAsync(string domain, CancellationToken cancellationToken)
    {
        var mx = await dns.SecureMxAsync(domain, cancellationToken).ConfigureAwait(false);
        if (mx.Status == DnsStatus.NoData && mx.Authenticated)
        {
            var address = await dns.SecureAddressesAsync(domain, cancellationToken).ConfigureAwait(false);
            return address.Status == DnsStatus.Found && address.Authenticated;
        }

        return mx.Status == DnsStatus.Found && mx.Authenticated;
    }

    /// <summary>What DANE asks of <paramref name="host"/>, an MX host of a domain whose MX RRset is secure.</summary>
    /// <remarks>RFC 7672 §2.2.2: TLSA records are looked up only when the host's address records are DNSSEC-secure (an
    /// insecure A/AAAA answer, e.g. a CNAME into an unsigned zone, means no DANE for this host); when the host name is
    /// an alias, first at the CNAME-expanded name, then at the name itself. The name the records were found at is the
    /// TLSA base domain, a reference identifier for DANE-TA (§3.2.2).</remarks>
    public async Task<DaneRequirement> LookupAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = await dns.SecureAddressesAsync(host, AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false);
        if (addresses.Status == DnsStatus.NoData)
        {
            addresses = await dns.SecureAddressesAsync(host, AddressFamily.InterNetworkV6, cancellationToken).ConfigureAwait(false);
        }

        switch (addresses.Status)
        {
            case DnsStatus.TemporaryError:
                // SERVFAIL for a secure MX host's addresses may be an attacker stripping signatures: not used now.
                return new DaneRequirement(DaneRequirementKind.LookupFailed, []);
            case DnsStatus.Found when addresses.Authenticated:
                break;
            default:
                // Insecure addresses (or none): RFC 7672 §2.2.2, no TLSA lookup; the host is used without DANE.
                return DaneRequirement.None;
        }

        string[] names = addresses.CanonicalName is { } expanded && !string.Equals(expanded, host, StringComparison.OrdinalIgnoreCase)
            ? [expanded, host]
            : [host];
        foreach (var name in names)
        {
            var answer = await dns.TlsaAsync("_25._tcp." + name, cancellationToken).ConfigureAwait(false);
            switch (answer.Status)
            {
                case DnsStatus.TemporaryError:
                    return new DaneRequirement(DaneRequirementKind.LookupFailed, []);
                case DnsStatus.Found when answer.Authenticated:
                    return new DaneRequirement(DaneRequirementKind.Required, [.. answer.Records.Select(ToAssociation)]) { BaseDomain = name };
            }

            // NXDOMAIN, NODATA, or records without the AD bit (an unsigned zone or a forged answer prove nothing): the
            // next candidate name, then no DANE.
        }

        return DaneRequirement.None;
    }

    private static TlsaAssociation ToAssociation(TlsaRecord record) =>
        new((byte)record.CertificateUsage, (byte)record.Selector, (byte)record.MatchingType, [.. record.CertificateAssociationData]);
}
