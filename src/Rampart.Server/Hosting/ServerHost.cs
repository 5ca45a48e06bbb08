using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rampart.Imap;
using Rampart.Monitoring;
using Rampart.Monitoring.Events;
using Rampart.Net.Access;
using Rampart.Net.Listeners;
using Rampart.Net.Tls;
using Rampart.Security.Passwords;
using Rampart.Security.Sasl;
using Rampart.Server.Accounts;
using Rampart.Server.Configuration;
using Rampart.Server.Monitoring;
using Rampart.Server.Security;
using Rampart.Smtp.Dkim;
using Rampart.Smtp.Domains;
using Rampart.Smtp.Queue;
using Rampart.Smtp.SenderChecks;
using Rampart.Smtp.SenderChecks.Dns;
using Rampart.Store;

namespace Rampart.Server.Hosting;

/// <summary>Composes <c>rampart serve</c> on the .NET generic host: the store, certificates, connection gate,
/// protocol handlers and listeners. Logs go to standard error so that standard output carries only what a
/// person reads: the first-run account and how to connect.</summary>
public static class ServerHost
{
    public static IHost Build(ServerConfiguration configuration, DataDirectory data, IMailStore store, byte[] serverSecret)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "rampart" });
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ssZ ";
        });
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Information);

        // A start failure (a port in use, a bad certificate) is reported by `serve` as one line; the host's own
        // report of it would add a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);

        var services = builder.Services;
        services.AddSingleton<IHostLifetime, CommandLineLifetime>();
        services.AddSingleton(configuration);
        services.AddSingleton(data);
        services.AddSingleton(store);
        services.AddSingleton(new ServerSecret(serverSecret));
        services.AddSingleton<AccountCredentials>();
        // Account security (Rampart.Security): guard, login checks, limits; bans and server-wide rules refuse before the greeting.
        services.AddSingleton(SecuritySettings.Bind(configuration));
        services.AddSingleton(provider => new SecurityServices(data, store, serverSecret, provider.GetRequiredService<SecuritySettings>(), provider.GetRequiredService<AccountCredentials>(), events: provider.GetService<ISecurityEvents>()));
        services.AddSingleton(provider => provider.GetRequiredService<SecurityServices>().Guard);
        services.AddSingleton(provider => provider.GetRequiredService<SecurityServices>().Login);
        services.AddSingleton(provider => provider.GetRequiredService<SecurityServices>().Sessions);
        services.AddSingleton(provider => provider.GetRequiredService<SecurityServices>().AppPasswords);
        services.AddHostedService<AppPasswordSweepService>();
        services.AddSingleton(provider => new ConnectionGate(configuration.Options.Access, configuration.Options.Limits)
        {
            Refuse = provider.GetRequiredService<SecurityServices>().RefuseBeforeGreeting,
        });
        services.AddSingleton(provider => new CertificateStore(
            configuration.Options.Tls,
            data.TlsDirectory,
            configuration.HostName,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("Rampart.Tls")));
        services.AddSingleton(provider => new TlsServer(provider.GetRequiredService<CertificateStore>(), configuration.Options.Tls));
        services.AddSingleton(provider =>
        {
            var handlers = new ProtocolHandlers(configuration.HostName);
            // Security:Guard:MaxFailuresPerSession closes a session after that many failed logins on every protocol;
            // Pop3:MaxAuthenticationFailures and Smtp:MaxAuthenticationFailures, when set, override it for their protocol.
            var maxFailuresPerSession = provider.GetRequiredService<SecuritySettings>().Guard.MaxFailuresPerSession;
            // SECURITY.md C04: every IMAP, POP3 and submission session paces its commands (Limits:CommandBurst,
            // Limits:CommandsPerSecond); a session that was paced says so in the log when it ends.
            var commandLimits = configuration.Options.Limits;
            var pacingLog = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Rampart.Security.Pacing");
            void LogPacedSession(string protocol, Rampart.Net.Listeners.Connection connection, Rampart.Security.Guard.CommandPacer pacer) =>
                pacingLog.LogInformation("{Protocol} session {Id} from {Client}: {Paced} of {Commands} commands paced (Limits:CommandsPerSecond)", protocol, connection.Id, connection.RemoteEndPoint.Address, pacer.Paced, pacer.Commands);
            // The default SASL mechanisms, and GSSAPI when Security:Gssapi is configured (registers its keytab).
            var mechanisms = GssapiSettings.Mechanisms(GssapiSettings.Bind(configuration));
            // OAUTHBEARER/XOAUTH2 when Security:OAuth is configured, EXTERNAL when a listener takes client certificates.
            mechanisms = mechanisms.With(FederatedAuthentication.Mechanisms(configuration));
            // SCRAM-SHA-1[-PLUS] only when Security:ScramSha1 is set (RFC 7677 prefers SHA-256).
            mechanisms = mechanisms.With(provider.GetRequiredService<SecuritySettings>().ScramSha1 ? [Rampart.Security.Sasl.Mechanisms.Scram.ScramSha1Mechanism.Plus, Rampart.Security.Sasl.Mechanisms.Scram.ScramSha1Mechanism.Standard] : []);
            handlers.Register("imap", new ImapConnectionHandler(
                store,
                provider.GetRequiredService<AccountCredentials>(),
                new PasswordHasher(),
                serverSecret,
                new ImapServerOptions
                {
                    HostName = configuration.HostName,
                    Limits = configuration.Options.Limits,
                    // Both off unless the admin sets them (SECURITY.md "COMPRESS"; RFC 7888 LITERAL-).
                    Compress = Microsoft.Extensions.Configuration.ConfigurationBinder.GetValue(configuration.Raw, "Imap:Compress", false),
                    LiteralMinus = Microsoft.Extensions.Configuration.ConfigurationBinder.GetValue(configuration.Raw, "Imap:LiteralMinus", false),
                    // SECURITY.md B01: the guard's per-session failure count ends the session (IMAP has no override).
                    MaxFailedAuthentications = maxFailuresPerSession,
                },
                provider.GetRequiredService<ILoggerFactory>(),
                new Rampart.Security.Guard.LoginSecurity(provider.GetRequiredService<SecurityServices>().Login, provider.GetRequiredService<SecurityServices>().Sessions, provider.GetRequiredService<ISecurityEvents>()) { CommandBurst = commandLimits.CommandBurst, CommandsPerSecond = commandLimits.CommandsPerSecond, SessionPaced = LogPacedSession },
                mechanisms,
                // CRAM-MD5 only when the admin allowed legacy mechanisms; each account still opts in.
                provider.GetRequiredService<SecuritySettings>().LegacyMechanisms ? provider.GetRequiredService<SecurityServices>().Legacy : null));
            var pop3 = Pop3.Pop3ConnectionHandler.Create(store, provider.GetRequiredService<AccountCredentials>(), serverSecret, configuration.HostName, configuration.Raw.GetSection("Pop3"), configuration.Options.Limits.LineLengthLimit, provider.GetRequiredService<ILoggerFactory>(),
                new Rampart.Security.Guard.LoginSecurity(provider.GetRequiredService<SecurityServices>().Login, provider.GetRequiredService<SecurityServices>().Sessions, provider.GetRequiredService<ISecurityEvents>()) { CommandBurst = commandLimits.CommandBurst, CommandsPerSecond = commandLimits.CommandsPerSecond, SessionPaced = LogPacedSession },
                // APOP and CRAM-MD5 only when the admin allowed legacy mechanisms; each account still opts in.
                provider.GetRequiredService<SecuritySettings>().LegacyMechanisms ? provider.GetRequiredService<SecurityServices>().Legacy : null,
                mechanisms);
            if (configuration.Raw["Pop3:MaxAuthenticationFailures"] is null)
            {
                pop3.Services.Options.MaxAuthenticationFailures = maxFailuresPerSession;
            }

            handlers.Register("pop3", pop3);

            // Submission offers LOGIN too (clients that know nothing else), plus what the admin configured above.
            var defaultNames = SaslMechanismFactory.CreateDefault(includeLogin: true).Mechanisms.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
            var smtpMechanisms = SaslMechanismFactory.CreateDefault(includeLogin: true).With(mechanisms.Mechanisms.Where(m => !defaultNames.Contains(m.Name)));
            // SMTP: inbound on listener "smtp", submission on "submission"/"submissions", and LMTP. Hosted domains, the
            // outbound queue and the sender checks are the registered ones (when absent: the domains of the accounts'
            // addresses, no remote delivery, no sender checks).
            Rampart.Smtp.SmtpConnectionHandler SmtpHandler(bool lmtp) => WithGuardFailures(Rampart.Smtp.SmtpConnectionHandler.Create(
                store,
                provider.GetRequiredService<AccountCredentials>(),
                serverSecret,
                configuration.HostName,
                configuration.Raw.GetSection("Smtp"),
                System.IO.Path.Combine(data.Path, "spool"),
                configuration.Options.Limits.LineLengthLimit,
                provider.GetRequiredService<ILoggerFactory>(),
                new Rampart.Security.Guard.LoginSecurity(provider.GetRequiredService<SecurityServices>().Login, provider.GetRequiredService<SecurityServices>().Sessions, provider.GetRequiredService<ISecurityEvents>()) { CommandBurst = commandLimits.CommandBurst, CommandsPerSecond = commandLimits.CommandsPerSecond, SessionPaced = LogPacedSession },
                provider.GetService<Rampart.Smtp.Domains.IHostedDomains>(),
                provider.GetService<Rampart.Smtp.Queue.IOutboundQueue>(),
                provider.GetService<ISenderAuthenticator>(),
                lmtp,
                smtpMechanisms));
            Rampart.Smtp.SmtpConnectionHandler WithGuardFailures(Rampart.Smtp.SmtpConnectionHandler handler)
            {
                if (configuration.Raw["Smtp:MaxAuthenticationFailures"] is null)
                {
                    handler.Services.Options.MaxAuthenticationFailures = maxFailuresPerSession;
                }

                return handler;
            }

            handlers.Register("smtp", SmtpHandler(lmtp: false));
            handlers.Register("lmtp", SmtpHandler(lmtp: true));
            return handlers;
        });
        // Monitoring first: its hosted service registers /metrics for the admin listener and must start before it.
        services.AddSingleton(MonitoringConfiguration.BindForServe(configuration));
        services.AddSingleton(provider => new SecurityMonitor(
            provider.GetRequiredService<MonitoringOptions>(),
            MonitoringConfiguration.AuditDirectory(data.Path),
            MonitoringConfiguration.StateDirectory(data.Path),
            provider.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<ISecurityEvents>(provider => provider.GetRequiredService<SecurityMonitor>().Events);
        services.AddSingleton(provider => provider.GetRequiredService<SecurityMonitor>().Sessions);
        services.AddSingleton(provider => provider.GetRequiredService<SecurityMonitor>().Metrics);
        services.AddSingleton<IConnectionObserver, MonitoringConnectionObserver>();
        services.AddSingleton<MonitoringService>();
        services.AddHostedService(provider => provider.GetRequiredService<MonitoringService>());
        // Outbound mail (Rampart.Smtp): hosted domains in DATA/domains.json, the queue in DATA/queue and its delivery
        // worker; SMTP sessions resolve IHostedDomains and IOutboundQueue from here.
        services.AddSingleton(OutboundQueueOptions.Bind(configuration.Raw.GetSection("Smtp"), configuration.HostName));
        services.AddSingleton<IHostedDomains>(new HostedDomainFile(data.Path, alsoHosted: new AccountAddressDomains(store)));
        services.AddSingleton(new FileOutboundQueue(data.Path));
        services.AddSingleton<IOutboundQueue>(provider => provider.GetRequiredService<FileOutboundQueue>());
        // Inbound SMTP records SPF, DKIM and DMARC (Smtp:Dns says which resolver); outgoing mail is DKIM-signed for
        // every domain with a key in DATA/dkim (`rampart dkim create`).
        services.AddSingleton<ISenderAuthenticator>(provider =>
        {
            var outbound = provider.GetRequiredService<OutboundQueueOptions>();
            return new SenderAuthenticator(configuration.HostName, new DnsResolver(new DnsOptions
            {
                Servers = [.. outbound.DnsServers.Select(server => server.ToString())],
                Timeout = outbound.DnsTimeout,
            }));
        });
        services.AddSingleton<IMessageSigner>(new DkimMessageSigner(new DkimKeyring(data.Path)));
        services.AddHostedService<OutboundQueueService>();
        services.AddSingleton<ListenerService>();
        services.AddHostedService(provider => provider.GetRequiredService<ListenerService>());
        return builder.Build();
    }
}

/// <summary>The 32-byte server secret from the data directory (fake SCRAM salts, keyed caches).</summary>
public sealed record ServerSecret(byte[] Key);

/// <summary>The command line owns Ctrl-C and SIGTERM (it cancels the verb), so the host installs no handlers of its own.</summary>
internal sealed class CommandLineLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
