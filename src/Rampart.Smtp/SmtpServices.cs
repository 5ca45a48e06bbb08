using Rampart.Security.Sasl;
using Rampart.Smtp.Delivery;
using Rampart.Smtp.Domains;
using Rampart.Smtp.Queue;
using Rampart.Smtp.SenderChecks;
using Rampart.Smtp.Submission;
using Rampart.Store;

namespace Rampart.Smtp;

/// <summary>What every SMTP, submission and LMTP session of a server shares.</summary>
public sealed class SmtpServices
{
    /// <summary>Creates the shared services.</summary>
    /// <param name="store">The mail store messages are delivered to.</param>
    /// <param name="sasl">The process-wide SASL context; each connection derives its own (TLS, channel binding).</param>
    /// <param name="hostName">This server's name: greeting, EHLO reply and Received fields.</param>
    /// <param name="hostedDomains">The domains inbound SMTP accepts mail for, and submission delivers locally.</param>
    /// <param name="spoolDirectory">Where message bodies are streamed before delivery (created if missing).</param>
    /// <param name="options">Settings; defaults when null.</param>
    public SmtpServices(IMailStore store, SaslContext sasl, string hostName, IHostedDomains hostedDomains, string spoolDirectory, SmtpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sasl);
        ArgumentException.ThrowIfNullOrWhiteSpace(hostName);
        ArgumentNullException.ThrowIfNull(hostedDomains);
        ArgumentException.ThrowIfNullOrWhiteSpace(spoolDirectory);
        Store = store;
        Sasl = sasl;
        HostName = hostName;
        HostedDomains = hostedDomains;
        SpoolDirectory = spoolDirectory;
        Options = options ?? new SmtpOptions();
        Options.Validate();
        Directory.CreateDirectory(spoolDirectory);
        MessageSpool.DeleteLeftovers(spoolDirectory);
        SendingLimit = new SendingRateLimiter(Options.MaxMessagesPerHour, TimeProvider.System);
    }

    public IMailStore Store { get; }

    public SaslContext Sasl { get; }

    /// <summary>SASL mechanisms for submission: SCRAM-SHA-256(-PLUS), PLAIN and LOGIN, all after TLS only.</summary>
    public SaslMechanismFactory Mechanisms { get; init; } = SaslMechanismFactory.CreateDefault(includeLogin: true);

    public string HostName { get; }

    public IHostedDomains HostedDomains { get; }

    /// <summary>Where submission hands mail for remote recipients; null when this server sends no mail out.</summary>
    public IOutboundQueue? OutboundQueue { get; init; }

    /// <summary>SPF/DKIM/DMARC for inbound SMTP; null to record nothing and deliver everything.</summary>
    public ISenderAuthenticator? SenderAuthenticator { get; init; }

    public string SpoolDirectory { get; }

    public SmtpOptions Options { get; }

    /// <summary>The per-account sending rate (<see cref="SmtpOptions.MaxMessagesPerHour"/>).</summary>
    public SendingRateLimiter SendingLimit { get; }

    /// <summary>The connection line limit (<c>Limits:LineLengthLimit</c>): no line is buffered beyond it.</summary>
    public int LineLengthLimit { get; init; } = Net.Reading.LineReaderLimits.DefaultMaxLineLength;
}
