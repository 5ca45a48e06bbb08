using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Rampart.Net.Listeners;
using Rampart.Security.Credentials;
using Rampart.Security.Guard;
using Rampart.Security.Passwords;
using Rampart.Security.Sasl;
using Rampart.Smtp.Domains;
using Rampart.Smtp.Queue;
using Rampart.Smtp.SenderChecks;
using Rampart.Smtp.Session;
using Rampart.Store;

namespace Rampart.Smtp;

/// <summary>Serves the <c>smtp</c> (inbound, RFC 5321), <c>submission</c>/<c>submissions</c> (RFC 6409, RFC 8314)
/// and <c>lmtp</c> (RFC 2033) listeners. The mode comes from the listener name, or is fixed for LMTP.</summary>
public sealed class SmtpConnectionHandler : IConnectionHandler
{
    private readonly ILogger _logger;

    /// <param name="services">What the sessions share.</param>
    /// <param name="logger">The log.</param>
    /// <param name="lmtp">True for the LMTP handler; otherwise the listener name picks inbound or submission.</param>
    public SmtpConnectionHandler(SmtpServices services, ILogger logger, bool lmtp = false)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(logger);
        Services = services;
        _logger = logger;
        IsLmtp = lmtp;
    }

    /// <summary>
    /// Builds the handler <c>rampart serve</c> registers for "smtp" (and, with <paramref name="lmtp"/>, "lmtp"):
    /// options bound from <paramref name="smtpSection"/> (the <c>Smtp</c> configuration section), SCRAM-SHA-256,
    /// PLAIN and LOGIN, the spool in <paramref name="spoolDirectory"/>. Optional parts come from whoever registered
    /// them: hosted domains (default: the domains of the accounts' addresses), the outbound queue (none: remote
    /// recipients get 451), the sender checks (none: nothing recorded) and the SASL mechanisms (none: SCRAM-SHA-256,
    /// PLAIN and LOGIN; the server adds OAuth, EXTERNAL and GSSAPI when they are configured).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting in the section is out of range.</exception>
    public static SmtpConnectionHandler Create(
        IMailStore store,
        ICredentialSource credentials,
        byte[] serverSecret,
        string hostName,
        IConfiguration smtpSection,
        string spoolDirectory,
        int lineLengthLimit,
        ILoggerFactory loggerFactory,
        LoginSecurity? security = null,
        IHostedDomains? hostedDomains = null,
        IOutboundQueue? outboundQueue = null,
        ISenderAuthenticator? senderAuthenticator = null,
        bool lmtp = false,
        SaslMechanismFactory? mechanisms = null)
    {
        ArgumentNullException.ThrowIfNull(smtpSection);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var options = smtpSection.Get<SmtpOptions>() ?? new SmtpOptions();
        var sasl = new SaslContext { Credentials = credentials, PasswordHasher = new PasswordHasher(), ServerSecret = serverSecret };
        var services = new SmtpServices(store, sasl, hostName, hostedDomains ?? new AccountAddressDomains(store), spoolDirectory, options)
        {
            LineLengthLimit = lineLengthLimit,
            OutboundQueue = outboundQueue,
            SenderAuthenticator = senderAuthenticator,
            Mechanisms = mechanisms ?? SaslMechanismFactory.CreateDefault(includeLogin: true),
        };
        return new SmtpConnectionHandler(services, loggerFactory.CreateLogger(lmtp ? "Rampart.Lmtp" : "Rampart.Smtp"), lmtp) { Security = security };
    }

    /// <summary>Account security for submission logins (guard, limits, audit); without it logins are checked
    /// against the SASL context's credentials alone.</summary>
    public LoginSecurity? Security { get; init; }

    /// <summary>The services the sessions share.</summary>
    public SmtpServices Services { get; }

    /// <summary>Whether this handler speaks LMTP.</summary>
    public bool IsLmtp { get; }

    /// <summary>The mode for a connection on <paramref name="listenerName"/>: <c>smtp</c> is inbound, every other
    /// SMTP listener (<c>submission</c>, <c>submissions</c>) is submission.</summary>
    public SmtpMode ModeFor(string listenerName) =>
        IsLmtp ? SmtpMode.Lmtp : string.Equals(listenerName, "smtp", StringComparison.OrdinalIgnoreCase) ? SmtpMode.Inbound : SmtpMode.Submission;

    public async Task HandleAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var mode = ModeFor(connection.ListenerName);
        using var end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var security = Security is null || mode != SmtpMode.Submission ? null : new ConnectionSecurity(Security, "smtp", connection, end);
        if (mode == SmtpMode.Lmtp)
        {
            // The local MTA is trusted like a logged-in client: it is not counted against pre-authentication limits.
            connection.MarkAuthenticated();
        }

        // Inbound sessions have no ConnectionSecurity (no AUTH on port 25) but are paced all the same (C04).
        var pacer = mode == SmtpMode.Inbound && Security is { CommandsPerSecond: > 0 } settings
            ? new CommandPacer(settings.CommandBurst, settings.CommandsPerSecond)
            : null;
        var session = new SmtpSession(Services, connection, mode, _logger) { Security = security, Pacer = pacer, Events = Security?.Events };
        try
        {
            await session.RunAsync(end.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionIdleTimeoutException or Net.Tls.TlsHandshakeException)
        {
            // The client left, timed out, or the server is stopping: an unfinished transaction delivers nothing.
        }
        finally
        {
            if (pacer is { Paced: > 0 })
            {
                Security!.SessionPaced?.Invoke("smtp", connection, pacer);
            }
        }
    }
}
