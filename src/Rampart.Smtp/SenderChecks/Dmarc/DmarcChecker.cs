using MimeKit;
using Rampart.Smtp.SenderChecks.DkimVerification;
using Rampart.Smtp.SenderChecks.Dns;
using Rampart.Smtp.SenderChecks.Spf;

namespace Rampart.Smtp.SenderChecks.Dmarc;

/// <summary>The DMARC results of RFC 8601 §2.7 / RFC 7489 §11.2.</summary>
public enum DmarcResult
{
    /// <summary>No DMARC record for the author domain.</summary>
    None,

    /// <summary>An aligned SPF or DKIM pass.</summary>
    Pass,

    /// <summary>No aligned pass.</summary>
    Fail,

    /// <summary>A DNS error while looking up the record.</summary>
    TempError,

    /// <summary>The message has no single author domain to evaluate (RFC 7489 §6.6.1).</summary>
    PermError,
}

/// <summary>The DMARC outcome of one message.</summary>
/// <param name="Result">The result.</param>
/// <param name="FromDomain">The RFC5322.From domain evaluated; empty when there was none.</param>
/// <param name="Policy">The policy that applied (p= or sp=); null without a record.</param>
/// <param name="Disposition">What to do with the message.</param>
/// <param name="Reason">Why, for a comment.</param>
public sealed record DmarcOutcome(DmarcResult Result, string FromDomain, DmarcPolicy? Policy, DmarcDisposition Disposition, string Reason);

/// <summary>DMARC (RFC 7489): finds the author domain's policy and checks that SPF or DKIM passed for a domain aligned
/// with the From address.</summary>
public sealed class DmarcChecker
{
    private readonly DnsResolver dns;
    private readonly OrganizationalDomain organizational;
    private readonly Func<int> sample;

    /// <param name="dns">The resolver.</param>
    /// <param name="organizational">Public-suffix knowledge; Debian's list when null.</param>
    /// <param name="sample">A number in 0..99 per failing message, compared with pct= (§6.6.4); random when null.</param>
    public DmarcChecker(DnsResolver dns, OrganizationalDomain? organizational = null, Func<int>? sample = null)
    {
        this.dns = dns ?? throw new ArgumentNullException(nameof(dns));
        this.organizational = organizational ?? new OrganizationalDomain();
        this.sample = sample ?? (() => Random.Shared.Next(100));
    }

    /// <summary>Evaluates the message's From domain against the SPF and DKIM outcomes.</summary>
    public async Task<DmarcOutcome> CheckAsync(MimeMessage message, SpfOutcome spf, IReadOnlyList<DkimOutcome> dkim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(spf);
        ArgumentNullException.ThrowIfNull(dkim);

        // §6.6.1: exactly one From field with one author domain, else the message cannot be evaluated. Several From
        // fields or author domains are refused: which one a reader's client shows is anyone's guess, the classic way to
        // slip a spoofed author past DMARC. A message with no From at all names no domain to spoof; it is recorded as
        // permerror and delivered, like mail from a domain without a policy.
        var fromFields = message.Headers.Count(h => h.Id == HeaderId.From);
        var domains = message.From.Mailboxes.Select(m => m.Domain.ToLowerInvariant().TrimEnd('.')).Distinct().ToList();
        if (fromFields == 0)
        {
            return new DmarcOutcome(DmarcResult.PermError, "", null, DmarcDisposition.None, "the message has no From field");
        }

        if (fromFields != 1 || domains.Count != 1 || SpfChecker.NormalizeDomain(domains[0]) is not { } fromDomain)
        {
            return new DmarcOutcome(DmarcResult.PermError, domains.Count == 1 ? domains[0] : "", null, DmarcDisposition.Reject,
                "the message needs exactly one From field with one author domain");
        }

        var orgDomain = organizational.Of(fromDomain);
        var lookup = await FindRecordAsync(fromDomain, cancellationToken).ConfigureAwait(false);
        var atOrganization = false;
        if (lookup.Status == DnsStatus.TemporaryError)
        {
            return new DmarcOutcome(DmarcResult.TempError, fromDomain, null, DmarcDisposition.None, "DNS error looking up the DMARC record");
        }

        if (lookup.Record is null && !orgDomain.Equals(fromDomain, StringComparison.Ordinal))
        {
            // §6.6.3: no record at the author domain: ask the organizational domain.
            lookup = await FindRecordAsync(orgDomain, cancellationToken).ConfigureAwait(false);
            atOrganization = true;
            if (lookup.Status == DnsStatus.TemporaryError)
            {
                return new DmarcOutcome(DmarcResult.TempError, fromDomain, null, DmarcDisposition.None, "DNS error looking up the DMARC record");
            }
        }

        if (lookup.Record is not { } record)
        {
            return new DmarcOutcome(DmarcResult.None, fromDomain, null, DmarcDisposition.None, "no DMARC record");
        }

        var policy = atOrganization ? record.SubdomainPolicy : record.Policy;
        var dkimAligned = dkim.FirstOrDefault(d => d.Result == DkimResult.Pass && Aligned(d.Domain, fromDomain, record.StrictDkim));
        var spfAligned = spf.Result == SpfResult.Pass && Aligned(spf.Domain, fromDomain, record.StrictSpf);
        if (dkimAligned is not null || spfAligned)
        {
            var how = dkimAligned is not null ? $"DKIM d={dkimAligned.Domain} aligned" : $"SPF {spf.Domain} aligned";
            return new DmarcOutcome(DmarcResult.Pass, fromDomain, policy, DmarcDisposition.None, how);
        }

        // §6.6.4: pct= samples the failing messages the policy applies to; the others get the next lower policy.
        var applied = policy;
        if (record.Percent < 100 && sample() >= record.Percent)
        {
            applied = policy == DmarcPolicy.Reject ? DmarcPolicy.Quarantine : DmarcPolicy.None;
        }

        var disposition = applied switch
        {
            DmarcPolicy.Reject => DmarcDisposition.Reject,
            DmarcPolicy.Quarantine => DmarcDisposition.Quarantine,
            _ => DmarcDisposition.None,
        };
        return new DmarcOutcome(DmarcResult.Fail, fromDomain, policy, disposition, "no aligned SPF or DKIM pass");
    }

    // §3.1: strict alignment is equality; relaxed, the same organizational domain.
    private bool Aligned(string domain, string fromDomain, bool strict)
    {
        var d = domain.ToLowerInvariant().TrimEnd('.');
        return strict ? d == fromDomain : d.Length > 0 && organizational.Of(d) == organizational.Of(fromDomain);
    }

    private async Task<(DnsStatus Status, DmarcRecord? Record)> FindRecordAsync(string domain, CancellationToken cancellationToken)
    {
        var answer = await dns.TxtAsync("_dmarc." + domain, cancellationToken).ConfigureAwait(false);
        if (answer.Status == DnsStatus.TemporaryError)
        {
            return (DnsStatus.TemporaryError, null);
        }

        // §6.6.3: more than one DMARC record, or none, means no policy.
        var records = answer.Records.Where(DmarcRecord.IsDmarc1).ToList();
        return (answer.Status, records.Count == 1 ? DmarcRecord.Parse(records[0]) : null);
    }
}
