using System.Security.Cryptography;
using System.Text;
using Rampart.Security.Passwords;

namespace Rampart.Security.Credentials;

/// <summary>
/// What the server keeps to verify SCRAM-SHA-256 (RFC 5802 §3, RFC 7677), or SCRAM-SHA-1 when an admin enabled it
/// (RFC 5802 §5): salt, iteration count, StoredKey and ServerKey. Neither key is password-equivalent:
/// StoredKey = H(ClientKey) verifies a proof but cannot make one, ServerKey only proves the server to the client.
/// </summary>
public sealed class ScramCredential
{
    /// <summary>The iteration count new credentials get: RFC 7677 §4's minimum, which clients expect.</summary>
    public const int DefaultIterations = 4096;

    /// <summary>The least iteration count accepted (RFC 7677 §4: at least 4096).</summary>
    public const int MinIterations = 4096;

    /// <summary>
    /// The most iterations accepted (10 million): a bound so that a damaged record cannot make clients, or
    /// <see cref="Derive(string, ReadOnlySpan{byte}, int)"/>, spin for hours.
    /// </summary>
    public const int MaxIterations = 10_000_000;

    /// <summary>Length of the random salt for new credentials (RFC 5802 asks for a random salt; 128 bits).</summary>
    public const int SaltLength = 16;

    /// <summary>
    /// The shortest salt a credential may have: 12 bytes (96 bits), the length of RFC 5802 §5's own example, so that
    /// credentials made elsewhere with such salts can be kept. New credentials get <see cref="SaltLength"/>.
    /// </summary>
    public const int MinSaltLength = 12;

    /// <summary>Length of SHA-256 outputs, and so of SCRAM-SHA-256's StoredKey and ServerKey.</summary>
    public const int KeyLength = 32;

    /// <summary>Length of SHA-1 outputs, and so of SCRAM-SHA-1's StoredKey and ServerKey.</summary>
    public const int Sha1KeyLength = 20;

    private readonly byte[] _salt;
    private readonly byte[] _storedKey;
    private readonly byte[] _serverKey;

    /// <summary>Creates a SCRAM-SHA-256 credential from stored parts; the arrays are copied.</summary>
    public ScramCredential(ReadOnlySpan<byte> salt, int iterations, ReadOnlySpan<byte> storedKey, ReadOnlySpan<byte> serverKey)
        : this(HashAlgorithmName.SHA256, salt, iterations, storedKey, serverKey)
    {
    }

    /// <summary>Creates a credential for <paramref name="algorithm"/> (SHA-256 or SHA-1) from stored parts; the arrays are copied.</summary>
    public ScramCredential(HashAlgorithmName algorithm, ReadOnlySpan<byte> salt, int iterations, ReadOnlySpan<byte> storedKey, ReadOnlySpan<byte> serverKey)
    {
        var keyLength = KeyLengthOf(algorithm);
        if (salt.Length is < MinSaltLength or > 64)
        {
            throw new ArgumentException($"The salt must be {MinSaltLength} to 64 bytes.", nameof(salt));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        if (storedKey.Length != keyLength || serverKey.Length != keyLength)
        {
            throw new ArgumentException($"StoredKey and ServerKey must be {keyLength} bytes.");
        }

        Algorithm = algorithm;
        _salt = salt.ToArray();
        Iterations = iterations;
        _storedKey = storedKey.ToArray();
        _serverKey = serverKey.ToArray();
    }

    /// <summary>The hash function: SHA-256 (SCRAM-SHA-256) or SHA-1 (SCRAM-SHA-1).</summary>
    public HashAlgorithmName Algorithm { get; }

    /// <summary>The salt sent to the client in server-first-message.</summary>
    public ReadOnlySpan<byte> Salt => _salt;

    /// <summary>The iteration count sent to the client.</summary>
    public int Iterations { get; }

    /// <summary>StoredKey = H(ClientKey).</summary>
    public ReadOnlySpan<byte> StoredKey => _storedKey;

    /// <summary>ServerKey = HMAC(SaltedPassword, "Server Key").</summary>
    public ReadOnlySpan<byte> ServerKey => _serverKey;

    /// <summary>The output length of <paramref name="algorithm"/>, the length of its keys; only SHA-256 and SHA-1 are SCRAM hashes here.</summary>
    /// <exception cref="ArgumentException">Any other algorithm.</exception>
    public static int KeyLengthOf(HashAlgorithmName algorithm) =>
        algorithm == HashAlgorithmName.SHA256 ? KeyLength
        : algorithm == HashAlgorithmName.SHA1 ? Sha1KeyLength
        : throw new ArgumentException($"{algorithm.Name} is not a SCRAM hash Rampart supports.", nameof(algorithm));

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
    public static ScramCredential Derive(string password, ReadOnlySpan<byte> salt, int iterations) =>
        Derive(HashAlgorithmName.SHA256, password, salt, iterations);

    /// <summary>
    /// Derives a credential for <paramref name="algorithm"/> from a known salt, the same steps with H = SHA-1 for
    /// SCRAM-SHA-1 (RFC 5802 §3, §5).
    /// </summary>
    /// <exception cref="ArgumentException">The password is empty, SASLprep refuses it, or the algorithm is not SHA-256 or SHA-1.</exception>
    public static ScramCredential Derive(HashAlgorithmName algorithm, string password, ReadOnlySpan<byte> salt, int iterations)
    {
        var keyLength = KeyLengthOf(algorithm);
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        var prepared = Encoding.UTF8.GetBytes(SaslPrep.Prepare(password));
        Span<byte> saltedPassword = stackalloc byte[keyLength];
        Span<byte> clientKey = stackalloc byte[keyLength];
        Span<byte> storedKey = stackalloc byte[keyLength];
        Span<byte> serverKey = stackalloc byte[keyLength];
        try
        {
            Rfc2898DeriveBytes.Pbkdf2(prepared, salt, saltedPassword, iterations, algorithm);
            CryptographicOperations.HmacData(algorithm, saltedPassword, "Client Key"u8, clientKey);
            CryptographicOperations.HashData(algorithm, clientKey, storedKey);
            CryptographicOperations.HmacData(algorithm, saltedPassword, "Server Key"u8, serverKey);
            return new ScramCredential(algorithm, salt, iterations, storedKey, serverKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prepared);
            CryptographicOperations.ZeroMemory(saltedPassword);
            CryptographicOperations.ZeroMemory(clientKey);
        }
    }
}
