using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Imap.Session;
using Rampart.Net.Listeners;
using Rampart.Security.Credentials;
using Rampart.Security.Guard;
using Rampart.Security.Passwords;
using Rampart.Security.Sasl;
using Rampart.Security.Sasl.Mechanisms.CramMd5;
using Rampart.Store;

namespace Rampart.Imap;

/// <summary>The IMAP4rev2/IMAP4rev1 server (RFC 9051, RFC 3501) for a listener: one session per connection.</summary>
public sealed class ImapConnectionHandler : IConnectionHandler
{
    private readonly ImapServices _services;
    private readonly LoginSecurity? _security;

    /// <param name="store">The mail store.</param>
    /// <param name="credentials">Where logins are checked.</param>
    /// <param name="hasher">The password hasher the credentials were made with.</param>
    /// <param name="serverSecret">The 32-byte server secret (decoy SCRAM salts).</param>
    /// <param name="options">IMAP settings; defaults when null.</param>
    /// <param name="loggerFactory">Where session errors are logged.</param>
    /// <param name="security">Account security for connections from a listener (guard, limits, audit); without it
    /// logins are checked against <paramref name="credentials"/> alone.</param>
    /// <param name="mechanisms">The SASL mechanisms offered; <see cref="SaslMechanismFactory.CreateDefault"/> when null.</param>
    /// <param name="legacySecrets">The opted-in accounts' CRAM-MD5 secrets when <c>Security:LegacyMechanisms</c> is on; null (the default) offers no CRAM-MD5.</param>
    public ImapConnectionHandler(
        IMailStore store,
        ICredentialSource credentials,
        PasswordHasher hasher,
        ReadOnlyMemory<byte> serverSecret,
        ImapServerOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        LoginSecurity? security = null,
        SaslMechanismFactory? mechanisms = null,
        ILegacySecretSource? legacySecrets = null)
    {
        _security = security;
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(hasher);
        var context = new SaslContext { Credentials = credentials, PasswordHasher = hasher, ServerSecret = serverSecret, LegacySecrets = legacySecrets };
        mechanisms ??= SaslMechanismFactory.CreateDefault();
        if (legacySecrets is not null && !mechanisms.Mechanisms.Contains(CramMd5Mechanism.Instance))
        {
            // CRAM-MD5 (RFC 2195) only when the admin turned legacy mechanisms on; it goes last (weakest), is offered
            // inside TLS only, and succeeds only for accounts opted in with `rampart user legacy enable`.
            mechanisms = new SaslMechanismFactory([.. mechanisms.Mechanisms, CramMd5Mechanism.Instance], allowPasswordEquivalent: true);
        }

        _services = new ImapServices(
            store,
            new PasswordAuthenticator(credentials, hasher),
            mechanisms,
            context,
            options ?? new ImapServerOptions(),
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Rampart.Imap"));
    }

    /// <inheritdoc/>
    public async Task HandleAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_security is null)
        {
            await new ImapSession(new ConnectionTransport(connection), _services).RunAsync(cancellationToken);
            return;
        }

        // The session runs on its own token so that revoking the app password it logged in with ends it (F02).
        using var end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var security = new ConnectionSecurity(_security, "imap", connection, end);
        await new ImapSession(new ConnectionTransport(connection), _services) { Security = security }.RunAsync(end.Token);
    }

    /// <summary>Runs a session over any transport (tests: an in-memory pipe).</summary>
    internal Task RunAsync(ISessionTransport transport, CancellationToken cancellationToken) =>
        new ImapSession(transport, _services).RunAsync(cancellationToken);
}
