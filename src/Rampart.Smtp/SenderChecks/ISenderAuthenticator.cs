using System.Net;

namespace Rampart.Smtp.SenderChecks;

/// <summary>Evaluates SPF (RFC 7208), DKIM (RFC 6376) and DMARC (RFC 7489) for one inbound message and says what to
/// record (RFC 8601 Authentication-Results) and what to do with it.</summary>
public interface ISenderAuthenticator
{
    /// <param name="facts">What the SMTP session knows: client address, HELO/EHLO name, reverse path.</param>
    /// <param name="message">The received message, seekable, positioned at its start (CRLF line ends).</param>
    /// <param name="cancellationToken">Cancels the DNS lookups.</param>
    Task<SenderVerdict> EvaluateAsync(SenderFacts facts, Stream message, CancellationToken cancellationToken = default);
}

/// <summary>What an SMTP session knows about the sender before the message.</summary>
/// <param name="ClientAddress">The connecting client's address.</param>
/// <param name="HeloName">The HELO/EHLO argument.</param>
/// <param name="MailFrom">The reverse path; empty for <c>&lt;&gt;</c>.</param>
public sealed record SenderFacts(IPAddress ClientAddress, string HeloName, string MailFrom);

/// <summary>The outcome of the sender checks.</summary>
/// <param name="AuthenticationResults">The value of the Authentication-Results header to prepend (RFC 8601 §2.2),
/// starting with this server's authserv-id.</param>
/// <param name="Disposition">The DMARC policy to apply.</param>
public sealed record SenderVerdict(string AuthenticationResults, DmarcDisposition Disposition)
{
    /// <summary>The SPF outcome in detail, when the checks ran.</summary>
    public Spf.SpfOutcome? Spf { get; init; }

    /// <summary>One outcome per DKIM signature, when the checks ran.</summary>
    public IReadOnlyList<DkimVerification.DkimOutcome> Dkim { get; init; } = [];

    /// <summary>The DMARC outcome in detail, when the checks ran.</summary>
    public Dmarc.DmarcOutcome? Dmarc { get; init; }
}

/// <summary>What DMARC asks the receiver to do with a message that failed (RFC 7489 §6.3 <c>p=</c>).</summary>
public enum DmarcDisposition
{
    /// <summary>Deliver normally (pass, no policy, or <c>p=none</c>).</summary>
    None,

    /// <summary>Deliver to the recipient's Junk mailbox.</summary>
    Quarantine,

    /// <summary>Refuse with 550 5.7.1.</summary>
    Reject,
}
