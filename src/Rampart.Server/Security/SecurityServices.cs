using Rampart.Monitoring.Events;
using Rampart.Net.Access;
using Rampart.Security.Access;
using Rampart.Security.AppPasswords;
using Rampart.Security.Credentials;
using Rampart.Security.Guard;
using Rampart.Security.LoginCache;
using Rampart.Security.Passwords;
using Rampart.Security.Policy;
using Rampart.Security.TwoFactor;
using Rampart.Server.Accounts;
using Rampart.Server.Configuration;
using Rampart.Store;

namespace Rampart.Server.Security;

/// <summary>
/// Account security composed over one data directory: the guard with its ban file (<c>DATA/guard/bans.json</c>), the
/// server-wide access rules (<c>DATA/guard/access.json</c>), and the per-account services over the store's secrets.
/// <c>serve</c> holds one; each CLI verb builds its own over the same files and records, which is how the CLI and a
/// running server share bans, rules and app passwords.
/// </summary>
public sealed class SecurityServices : IDisposable
{
    /// <param name="data">The data directory (ban and access-rule files).</param>
    /// <param name="store">The store (accounts and their secrets).</param>
    /// <param name="serverSecret">The server secret (fake SCRAM salts, sealed TOTP seeds and legacy secrets).</param>
    /// <param name="settings">The Security section.</param>
    /// <param name="credentials">Where passwords are looked up; the store's accounts when null.</param>
    /// <param name="time">The clock.</param>
    /// <param name="events">Where bans are reported; null for nowhere.</param>
    /// <param name="hasher">The Argon2id hasher; one at <see cref="Argon2Cost.Default"/> when null. Every hash and every
    /// dummy verification goes through this one instance, so they share one cost (E02).</param>
    public SecurityServices(DataDirectory data, IMailStore store, byte[] serverSecret, SecuritySettings settings, ICredentialSource? credentials = null, TimeProvider? time = null, ISecurityEvents? events = null, PasswordHasher? hasher = null)
    {
        Settings = settings;
        Time = time ?? TimeProvider.System;
        Secrets = new StoreAccountSecrets(store);
        Hasher = hasher ?? new PasswordHasher();
        Policy = settings.Policy();
        Guard = new AuthGuard(settings.Guard, Time, new BanFile(BansPath(data)));
        if (events is not null)
        {
            // SECURITY.md L03: every automatic ban is an audit event.
            Guard.AutoBanned += ban => events.Raise(new Banned
            {
                Network = ban.Network,
                Until = ban.Until,
                Reason = ban.Reason,
                ClientIp = System.Net.IPNetwork.TryParse(ban.Network, out var network) ? network.BaseAddress : null,
            });

            // Issue 7: a ban that runs out is an unban event, once, when the guard notices it.
            Guard.BanExpired += ban => events.Raise(new Unbanned
            {
                Network = ban.Network,
                Reason = "expired",
                ClientIp = System.Net.IPNetwork.TryParse(ban.Network, out var network) ? network.BaseAddress : null,
            });
        }

        ServerAccess = new ServerAccessRuleFile(AccessPath(data));
        AccessRules = new AccountAccessRules(Secrets);
        Hashing = new HashingQueue();
        Cache = settings.LoginCacheTtl > TimeSpan.Zero ? new VerifiedLoginCache(Time, settings.LoginCacheTtl) : null;
        Changer = new PasswordChanger(Secrets, Hasher, Policy, Time) { ScramSha1 = settings.ScramSha1 };
        Changer.Changed += name => Cache?.Forget(name);
        AppPasswords = new AppPasswordService(Secrets, Hasher, time: Time) { Hashing = Hashing };
        TwoFactor = new TwoFactorService(Secrets, serverSecret, Hasher, Time);
        Legacy = new LegacySecrets(Secrets, serverSecret);
        Sessions = new SessionLimiter(settings.SessionsPerUserAndIp, settings.SessionsPerAccount);
        Login = new LoginAuthenticator(credentials ?? new AccountCredentials(store, Hasher), Hasher, Guard)
        {
            AppPasswords = AppPasswords,
            TwoFactor = TwoFactor,
            AccessRules = AccessRules,
            KnownNetworks = new KnownNetworkStore(Secrets),
            Policy = Policy,
            Cache = Cache,
            Hashing = Hashing,
        };
    }

    public SecuritySettings Settings { get; }

    public TimeProvider Time { get; }

    public StoreAccountSecrets Secrets { get; }

    public PasswordHasher Hasher { get; }

    public PasswordPolicy Policy { get; }

    public AuthGuard Guard { get; }

    public ServerAccessRuleFile ServerAccess { get; }

    public AccountAccessRules AccessRules { get; }

    public HashingQueue Hashing { get; }

    public VerifiedLoginCache? Cache { get; }

    public PasswordChanger Changer { get; }

    public AppPasswordService AppPasswords { get; }

    public TwoFactorService TwoFactor { get; }

    public LegacySecrets Legacy { get; }

    public SessionLimiter Sessions { get; }

    public LoginAuthenticator Login { get; }

    /// <summary>The shared ban list.</summary>
    public static string BansPath(DataDirectory data) => Path.Combine(data.Path, "guard", "bans.json");

    /// <summary>The shared server-wide access rules.</summary>
    public static string AccessPath(DataDirectory data) => Path.Combine(data.Path, "guard", "access.json");

    /// <summary>Why the connection layer must refuse <paramref name="client"/> on a listener of
    /// <paramref name="protocol"/> before the greeting, or null to let it on: banned, or denied by a server-wide rule
    /// for every protocol or for this one (<c>rampart access deny [--protocol P]</c>).</summary>
    public ConnectionRefusal? RefuseBeforeGreeting(System.Net.IPAddress client, string protocol)
    {
        if (Guard.IsBanned(client))
        {
            return ConnectionRefusal.Banned;
        }

        return ServerAccess.Evaluate(client, protocol).Allowed ? null : ConnectionRefusal.AccessDenied;
    }

    public void Dispose()
    {
        Hashing.Dispose();
        TwoFactor.Dispose();
        AppPasswords.Revocations.Dispose();
    }
}
