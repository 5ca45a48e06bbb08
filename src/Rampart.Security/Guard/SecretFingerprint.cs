using System.Security.Cryptography;
using System.Text;

namespace Rampart.Security.Guard;

/// <summary>
/// A stand-in for a submitted secret: HMAC-SHA-256 of the user name and the password under a key that lives only in
/// this process, truncated to 128 bits. The guard compares fingerprints to see that a client repeats the same wrong
/// password (a phone with a stale one), which must not escalate (SECURITY.md B02); it never holds the password.
/// </summary>
public readonly record struct SecretFingerprint(Guid Value)
{
    private static readonly byte[] ProcessKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>No fingerprint: the mechanism never saw a password (SCRAM proofs differ on every try).</summary>
    public static SecretFingerprint None => default;

    /// <summary>True for <see cref="None"/>.</summary>
    public bool IsNone => Value == Guid.Empty;

    /// <summary>The fingerprint of <paramref name="password"/> submitted for <paramref name="userName"/>.</summary>
    public static SecretFingerprint Of(string? userName, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var input = Encoding.UTF8.GetBytes((userName ?? string.Empty).ToLowerInvariant() + "\0" + password);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(ProcessKey, input, mac);
        CryptographicOperations.ZeroMemory(input);
        return new SecretFingerprint(new Guid(mac[..16]));
    }
}
