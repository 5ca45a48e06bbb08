using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Rampart.Net.Listeners;
using Rampart.Pop3.Session;
using Rampart.Security.Credentials;
using Rampart.Security.Guard;
using Rampart.Security.Passwords;
using Rampart.Security.Sasl;
using Rampart.Store;

namespace Rampart.Pop3;

/// <summary>Serves the <c>pop3s</c> (implicit TLS, RFC 8314) and <c>pop3</c> (STLS, RFC 2595) listeners.</summary>
public sealed class Pop3ConnectionHandler : IConnectionHandler
{
    private readonly ILogger _logger;

    public Pop3ConnectionHandler(Pop3Services services, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(logger);
        Services = services;
        _logger = logger;
    }

    /// <summary>
    /// Builds the handler <c>rampart serve</c> registers for "pop3": options bound from <paramref name="pop3Section"/>
    /// (the <c>Pop3</c> configuration section, e.g. <c>Pop3:Retention:Mode</c>), the default SASL mechanisms, and
    /// the connection line limit.
    /// The optional <c>security</c> brings account security (guard, limits, audit); without it logins are checked
    /// against <paramref name="credentials"/> alone. The optional <c>legacySecrets</c> (only when the admin turned
    /// <c>Security:LegacyMechanisms</c> on) lets opted-in accounts use APOP and CRAM-MD5. The optional <c>mechanisms</c> replace the default SASL
    /// mechanisms (GSSAPI, OAUTHBEARER, EXTERNAL when configured).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The retention policy in the section is not valid.</exception>
    public static Pop3ConnectionHandler Create(
        IMailStore store,
        ICredentialSource credentials,
        byte[] serverSecret,
        string hostName,
        IConfiguration pop3Section,
        int lineLengthLimit,
        ILoggerFactory loggerFactory,
        LoginSecurity? security = null,
        ILegacySecretSource? legacySecrets = null,
        SaslMechanismFactory? mechanisms = null)
    {
        ArgumentNullException.ThrowIfNull(pop3Section);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var options = pop3Section.Get<Pop3Options>() ?? new Pop3Options();
        var sasl = new SaslContext { Credentials = credentials, PasswordHasher = new PasswordHasher(), ServerSecret = serverSecret };
        var services = new Pop3Services(store, sasl, hostName, options, mechanisms) { LineLengthLimit = lineLengthLimit, LegacySecrets = legacySecrets };
        return new Pop3ConnectionHandler(services, loggerFactory.CreateLogger("Rampart.Pop3")) { Security = security };
    }

    /// <summary>Account security for connections from a listener (guard, limits, audit); without it logins are
    /// checked against the SASL context's credentials alone.</summary>
    public LoginSecurity? Security { get; init; }

    /// <summary>The services the sessions share.</summary>
    public Pop3Services Services { get; }

    public async Task HandleAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // The session runs on its own token so that revoking the app password it logged in with ends it (F02).
        using var end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var security = Security is null ? null : new ConnectionSecurity(Security, "pop3", connection, end);
        var session = new Pop3Session(Services, new ConnectionTransport(connection), _logger)
        {
            MaxLineLength = Services.LineLengthLimit,
            Security = security,
        };
        try
        {
            await session.RunAsync(end.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionIdleTimeoutException or Net.Tls.TlsHandshakeException)
        {
            // The client left, timed out, or the server is stopping: a dropped session changes nothing (RFC 1939 §6).
        }
        catch (MultiLineAbortedException e)
        {
            _logger.LogError(e, "pop3 {Connection}: response aborted", connection.Id);
        }
    }
}
