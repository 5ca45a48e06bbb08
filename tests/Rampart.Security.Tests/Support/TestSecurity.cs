using System.Text;
using Rampart.Security.Credentials;
using Rampart.Security.Passwords;
using Rampart.Security.Sasl;

namespace Rampart.Security.Tests.Support;

/// <summary>Shared test setup: a cheap Argon2 cost (the production default has its own test), a fixed server secret.</summary>
public static class TestSecurity
{
    /// <summary>256 KiB, one pass: fast enough for many tests, still a real Argon2id run.</summary>
    public static readonly Argon2Cost FastCost = new(256, 1);

    public static readonly PasswordHasher Hasher = new(FastCost);

    public static readonly byte[] ServerSecret = Encoding.ASCII.GetBytes("rampart-test-secret-32-bytes-ok!");

    public static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static PasswordCredential Credential(string password) => PasswordCredential.Create(password, Hasher, Now);

    public static SaslContext Context(ICredentialSource source, bool tls = true, byte[]? channelBinding = null) => new()
    {
        Credentials = source,
        PasswordHasher = Hasher,
        ServerSecret = ServerSecret,
        IsTls = tls,
        ChannelBinding = channelBinding,
    };
}
