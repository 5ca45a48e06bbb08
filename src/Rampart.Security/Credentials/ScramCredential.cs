using System.Security.Cryptography;
using System.Text;
using Rampart.Security.Passwords;

namespace Rampart.Security.Credentials;

/// <summary>
/// What the server keeps to verify SCRAM-SHA-256 (RFC 5802 §3, RFC 7677): salt, iteration count, StoredKey and
/// ServerKey. Neither key is password-equivalent: StoredKey = H(ClientKey) verifies a proof but cannot make
/// one, ServerKey only proves the server to the client.
/// </summary>
public sealed class ScramCredential
{
    /// <summary>The iteration count new credentials get: RFC 7677 §4's minimum, which clients expect.</summary>
    public const int DefaultIterations = 4096;

    /// <summary>The least iteration count accepted (RFC 7677 §4: at least 4096).</summary>
    public const int MinIterations = 4096;

    /// <summary>
    /// The most iterations accepted (10 million): a bound so that a damaged record cannot make clients, or
    /// <see cref="Derive"/>, spin for hours.
    /// </summary>
    public const int MaxIterations = 10_000_000;

    /// <summary>Length of the random salt for new credentials (RFC 5802 asks for a random salt; 128 bits).</summary>
    public const int SaltLength = 16;

    /// <summary>Length of SHA-256 outputs, and so of StoredKey and ServerKey.</summary>
    public const int KeyLength = 32;

    private readonly byte[] _salt;
    private readonly byte[] _storedKey;
    private readonly byte[] _serverKey;

    /// <summary>Creates a credential from stored parts; the arrays are copied.</summary>
    public ScramCredential(ReadOnlySpan<byte> salt, int iterations, ReadOnlySpan<byte> storedKey, ReadOnlySpan<byte> serverKey)
    {
        if (salt.Length is < SaltLength or > 64)
        {
            throw new ArgumentException($"The salt must be {SaltLength} to 64 bytes.", nameof(salt));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        if (storedKey.Length != KeyLength || serverKey.Length != KeyLength)
        {
            throw new ArgumentException($"StoredKey and ServerKey must be {KeyLength} bytes.");
        }

        _salt = salt.ToArray();
        Iterations = iterations;
        _storedKey = storedKey.ToArray();
        _serverKey = serverKey.ToArray();
    }

    /// <summary>The salt sent to the client in server-first-message.</summary>
    public ReadOnlySpan<byte> Salt => _salt;

    /// <summary>The iteration count sent to the client.</summary>
    public int Iterations { get; }

    /// <summary>StoredKey = H(ClientKey).</summary>
    public ReadOnlySpan<byte> StoredKey => _storedKey;

    /// <summary>ServerKey = HMAC(SaltedPassword, "Server Key").</summary>
    public ReadOnlySpan<byte> ServerKey => _serverKey;

    /// <summary>Derives a credential for <paramref name="password"/> with a fresh random salt.</summary>
    /// <exception cref="ArgumentException">The password is empty or SASLprep refuses it.</exception>
    public static ScramCredential Create(string password, int iterations = DefaultIterations) =>
        Derive(password, RandomNumberGenerator.GetBytes(SaltLength), iterations);

    /// <summary>
    /// Derives a credential from a known salt (RFC 5802 §3): SaltedPassword = Hi(SASLprep(password), salt, i)
    /// with Hi = PBKDF2-HMAC-SHA-256; ClientKey = HMAC(SaltedPassword, "Client Key"); StoredKey = H(ClientKey);
    /// ServerKey = HMAC(SaltedPassword, "Server Key").
    /// </summary>
    /// <exception cref="ArgumentException">The password is empty or SASLprep refuses it.</exception>
    public static ScramCredential Derive(string password, ReadOnlySpan<byte> salt, int iterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        var prepared = Encoding.UTF8.GetBytes(SaslPrep.Prepare(password));
        Span<byte> saltedPassword = stackalloc byte[KeyLength];
        Span<byte> clientKey = stackalloc byte[KeyLength];
        Span<byte> storedKey = stackalloc byte[KeyLength];
        Span<byte> serverKey = stackalloc byte[KeyLength];
        try
        {
            Rfc2898DeriveBytes.Pbkdf2(prepared, salt, saltedPassword, iterations, HashAlgorithmName.SHA256);
            HMACSHA256.HashData(saltedPassword, "Client Key"u8, clientKey);
            SHA256.HashData(clientKey, storedKey);
            HMACSHA256.HashData(saltedPassword, "Server Key"u8, serverKey);
            return new ScramCredential(salt, iterations, storedKey, serverKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prepared);
            CryptographicOperations.ZeroMemory(saltedPassword);
            CryptographicOperations.ZeroMemory(clientKey);
        }
    }
}
