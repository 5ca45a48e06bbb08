using MimeKit;
using Rampart.Smtp.SenderChecks.DkimVerification;
using Rampart.Smtp.SenderChecks.Dmarc;
using Rampart.Smtp.SenderChecks.Dns;
using Rampart.Smtp.SenderChecks.Spf;

namespace Rampart.Smtp.SenderChecks;

/// <summary>The inbound sender checks: SPF (RFC 7208), DKIM (RFC 6376) and DMARC (RFC 7489), summed up as an
/// Authentication-Results value (RFC 8601) and a DMARC disposition. It never throws for what DNS or the message holds.</summary>
public sealed class SenderAuthenticator : ISenderAuthenticator
{
    private readonly string authServId;
    private readonly SpfChecker spf;
    private readonly DkimChecker dkim;
    private readonly DmarcChecker dmarc;

    /// <summary>Composes the checks over one resolver.</summary>
    /// <param name="authServId">This server's host name, the authserv-id of the header (RFC 8601 §2.5).</param>
    /// <param name="dns">The resolver (configuration section <c>Smtp:Dns</c>, see <see cref="DnsOptions"/>).</param>
    /// <param name="organizational">Public-suffix knowledge for DMARC; Debian's list when null.</param>
    public SenderAuthenticator(string authServId, DnsResolver dns, OrganizationalDomain? organizational = null)
        : this(authServId, new SpfChecker(dns, authServId), new DkimChecker(dns), new DmarcChecker(dns, organizational))
    {
    }

    /// <summary>Composes given checkers (tests pin DMARC's pct= sampling this way).</summary>
    public SenderAuthenticator(string authServId, SpfChecker spf, DkimChecker dkim, DmarcChecker dmarc)
    {
        ArgumentException.ThrowIfNullOrEmpty(authServId);
        this.authServId = authServId;
        this.spf = spf ?? throw new ArgumentNullException(nameof(spf));
        this.dkim = dkim ?? throw new ArgumentNullException(nameof(dkim));
        this.dmarc = dmarc ?? throw new ArgumentNullException(nameof(dmarc));
    }

    /// <inheritdoc />
    public async Task<SenderVerdict> EvaluateAsync(SenderFacts facts, Stream message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(message);
        var spfOutcome = await spf.CheckAsync(facts, cancellationToken).ConfigureAwait(false);

        // Persistent parsing: the parts refer to the (seekable) stream, so the body is not copied into memory, and
        // the stored message stays the bytes as received.
        MimeMessage parsed;
        try
        {
            parsed = await MimeMessage.LoadAsync(message, persistent: true, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException)
        {
            var none = new DmarcOutcome(DmarcResult.PermError, "", null, DmarcDisposition.None, "the message could not be parsed");
            return new SenderVerdict(AuthenticationResults.Format(authServId, spfOutcome, [], none), DmarcDisposition.None);
        }

        var dkimOutcomes = await dkim.VerifyAsync(parsed, cancellationToken).ConfigureAwait(false);
        var dmarcOutcome = await dmarc.CheckAsync(parsed, spfOutcome, dkimOutcomes, cancellationToken).ConfigureAwait(false);
        return new SenderVerdict(AuthenticationResults.Format(authServId, spfOutcome, dkimOutcomes, dmarcOutcome), dmarcOutcome.Disposition)
        {
            Spf = spfOutcome,
            Dkim = dkimOutcomes,
            Dmarc = dmarcOutcome,
        };
    }
}
