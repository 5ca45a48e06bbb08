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

    /// <summary>What DANE asks of <paramref name="host"/>.</summary>
    public async Task<DaneRequirement> LookupAsync(string host, CancellationToken cancellationToken)
    {
        var answer = await dns.TlsaAsync("_25._tcp." + host, cancellationToken).ConfigureAwait(false);
        switch (answer.Status)
        {
            case DnsStatus.TemporaryError:
                return new DaneRequirement(DaneRequirementKind.LookupFailed, []);
            case DnsStatus.Found when answer.Authenticated:
                return new DaneRequirement(DaneRequirementKind.Required, [.. answer.Records.Select(ToAssociation)]);
            default:
                // NXDOMAIN, NODATA, or records without the AD bit: an unsigned zone (or a forged answer) proves nothing.
                return DaneRequirement.None;
        }
    }

    private static TlsaAssociation ToAssociation(TlsaRecord record) =>
        new((byte)record.CertificateUsage, (byte)record.Selector, (byte)record.MatchingType, [.. record.CertificateAssociationData]);
}
