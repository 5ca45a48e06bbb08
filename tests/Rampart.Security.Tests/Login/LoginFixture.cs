using Microsoft.Extensions.Time.Testing;
using Rampart.Security.Access;
using Rampart.Security.AppPasswords;
using Rampart.Security.Credentials;
using Rampart.Security.Guard;
using Rampart.Security.LoginCache;
using Rampart.Security.Policy;
using Rampart.Security.Tests.Support;
using Rampart.Security.TwoFactor;

namespace Rampart.Security.Tests.Login;

/// <summary>A full login stack over in-memory secrets and a fake clock; accounts get their password through the
/// real <see cref="PasswordChanger"/>.</summary>
public sealed class LoginFixture : ICredentialSource, IDisposable
{
    public const string Password = "Vivid-Lantern-Orbit-42";

    public LoginFixture(Action<AuthGuardOptions>? configure = null)
    {
        var options = new AuthGuardOptions();
        configure?.Invoke(options);
        Guard = new AuthGuard(options, Time);
        Changer = new PasswordChanger(Secrets, TestSecurity.Hasher, time: Time);
        Changer.Changed += name => Cache.Forget(name);
        AppPasswords = new AppPasswordService(Secrets, TestSecurity.Hasher, time: Time);
        TwoFactor = new TwoFactorService(Secrets, TestSecurity.ServerSecret, TestSecurity.Hasher, Time);
        Authenticator = new LoginAuthenticator(this, TestSecurity.Hasher, Guard)
        {
            AppPasswords = AppPasswords,
            TwoFactor = TwoFactor,
            AccessRules = new AccountAccessRules(Secrets),
            KnownNetworks = new KnownNetworkStore(Secrets),
            Cache = Cache,
            Hashing = Hashing,
            ApplyDelays = false,
        };
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public MemoryAccountSecrets Secrets { get; } = new();

    public Dictionary<string, bool> Accounts { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Addresses that name an account, as the store resolves them (alias → account name).</summary>
    public Dictionary<string, string> Aliases { get; } = new(StringComparer.OrdinalIgnoreCase);

    public AuthGuard Guard { get; }

    public PasswordChanger Changer { get; }

    public AppPasswordService AppPasswords { get; }

    public TwoFactorService TwoFactor { get; }

    public VerifiedLoginCache Cache => field ??= new VerifiedLoginCache(Time);

    public HashingQueue Hashing { get; } = new(2);

    public LoginAuthenticator Authenticator { get; }

    public int HashesOnLookup { get; set; }

    public async Task AddAsync(string name, string password = Password, bool enabled = true)
    {
        Accounts[name] = enabled;
        var result = await Changer.ChangeAsync(name, password, default);
        Assert.True(result.IsAccepted, result.Message);
    }

    public ValueTask<LoginResult> LoginAsync(string user, string password, string ip = "192.0.2.1", string protocol = "imap", string mechanism = "PLAIN") =>
        Authenticator.CheckAsync(new LoginRequest(System.Net.IPAddress.Parse(ip), user, password, protocol, mechanism), default);

    public async ValueTask<CredentialLookup?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        if (Aliases.TryGetValue(userName, out var account))
        {
            userName = account;
        }

        if (!Accounts.TryGetValue(userName, out var enabled))
        {
            return null;
        }

        var name = Accounts.Keys.First(k => string.Equals(k, userName, StringComparison.OrdinalIgnoreCase));
        var stored = await Secrets.GetAsync(name, SecretKinds.Password, cancellationToken);
        return new CredentialLookup(name, enabled, PasswordCredential.TryParse(stored, out var credential) ? credential : null);
    }

    public void Dispose()
    {
        Hashing.Dispose();
        TwoFactor.Dispose();
        AppPasswords.Revocations.Dispose();
    }
}
