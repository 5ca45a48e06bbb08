using System.Security.Cryptography;
using Rampart.Security.Credentials;
using Rampart.Security.Passwords;
using Rampart.Security.Sasl;

namespace Rampart.Fuzz.Support;

/// <summary>
/// The accounts the SASL targets authenticate against, with real credentials (Argon2id at the cheapest cost, so
/// that a well-formed PLAIN message costs microseconds, and SCRAM keys with a fixed salt): <c>alice</c> / <c>secret</c>
/// enabled, <c>bob</c> / <c>secret</c> disabled, <c>carol</c> without a password. Built once per process.
/// </summary>
internal sealed class FuzzAccounts : ICredentialSource
{
    public const string UserName = "alice";

    public const string Password = "secret";

    /// <summary>The SCRAM iteration count of the accounts (the lowest allowed, to keep the harness fast).</summary>
    public const int Iterations = ScramCredential.MinIterations;

    private static readonly Lazy<FuzzAccounts> Shared = new(() => new FuzzAccounts());

    private readonly Dictionary<string, CredentialLookup> _accounts;

    private FuzzAccounts()
    {
        Hasher = new PasswordHasher(new Argon2Cost(Argon2Cost.MinMemoryKib, 1));
        Salt = SHA256.HashData("rampart-fuzz-salt"u8)[..ScramCredential.SaltLength];
        var scram = ScramCredential.Derive(Password, Salt, Iterations);
        var credential = new PasswordCredential(Hasher.Hash(Password), scram, DateTimeOffset.UnixEpoch);
        _accounts = new Dictionary<string, CredentialLookup>(StringComparer.Ordinal)
        {
            [UserName] = new(UserName, Enabled: true, credential),
            ["bob"] = new("bob", Enabled: false, credential),
            ["carol"] = new("carol", Enabled: true, Password: null),
        };
        SaltedPassword = Rfc2898DeriveBytes.Pbkdf2(Password, Salt, Iterations, HashAlgorithmName.SHA256, 32);
    }

    public static FuzzAccounts Instance => Shared.Value;

    public PasswordHasher Hasher { get; }

    /// <summary>The SCRAM salt of every account.</summary>
    public byte[] Salt { get; }

    /// <summary>SCRAM SaltedPassword for <see cref="Password"/> (RFC 5802 §3), to compute client proofs.</summary>
    public byte[] SaltedPassword { get; }

    /// <summary>A connection's context: TLS, and channel binding when <paramref name="channelBinding"/> is given.</summary>
    public SaslContext Context(byte[]? channelBinding) => new()
    {
        Credentials = this,
        PasswordHasher = Hasher,
        ServerSecret = new byte[DecoyCredentials.ServerSecretLength],
        IsTls = true,
        ChannelBinding = channelBinding,
    };

    public ValueTask<CredentialLookup?> FindAsync(string userName, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_accounts.GetValueOrDefault(userName));
}
