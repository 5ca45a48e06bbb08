using System.Security.Cryptography;
using NSec.Cryptography;

namespace Rampart.Security.Passwords;

/// <summary>
/// Hashes and verifies passwords with Argon2id (RFC 9106) through libsodium, storing PHC strings
/// (<see cref="Argon2idHash"/>). Passwords are prepared with <see cref="PasswordNormalization"/> (NFKC, UTF-8,
/// never truncated). Thread-safe; one instance serves the whole process.
/// </summary>
public sealed class PasswordHasher
{
    private readonly Lazy<Argon2idHash> _dummy;

    /// <summary>Creates a hasher that writes new hashes at <paramref name="cost"/> (default <see cref="Argon2Cost.Default"/>).</summary>
    public PasswordHasher(Argon2Cost? cost = null)
    {
        Cost = cost ?? Argon2Cost.Default;
        // The dummy hash for unknown users has the current cost, so verifying against it takes as long as
        // verifying a real user's fresh hash (SECURITY.md E01/E02). Its password is random and forgotten.
        _dummy = new Lazy<Argon2idHash>(() => HashCore(RandomNumberGenerator.GetBytes(32), Cost));
    }

    /// <summary>The cost new hashes get.</summary>
    public Argon2Cost Cost { get; }

    /// <summary>Hashes <paramref name="password"/> (not empty) with a fresh random salt and returns the PHC string.</summary>
    public string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        var input = PasswordNormalization.ToHashInput(password);
        try
        {
            return HashCore(input, Cost).ToString();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    /// <summary>
    /// True when <paramref name="password"/> matches <paramref name="encodedHash"/>. A hash string that does not
    /// parse never matches, and still costs one dummy verification, so a damaged record is not a timing oracle.
    /// </summary>
    public bool Verify(string password, string encodedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!Argon2idHash.TryParse(encodedHash, out var stored))
        {
            VerifyUnknownUser(password);
            return false;
        }

        return VerifyCore(password, stored);
    }

    /// <summary>
    /// Runs one verification against a dummy hash at the current cost and returns false: call it for a user
    /// that does not exist (or has no password) so the reply takes as long as for a wrong password.
    /// </summary>
    public bool VerifyUnknownUser(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        VerifyCore(password, _dummy.Value);
        return false;
    }

    /// <summary>
    /// True when <paramref name="encodedHash"/> should be replaced at the next successful login: it does not
    /// parse, or its memory or passes are below <see cref="Cost"/>.
    /// </summary>
    public bool NeedsRehash(string encodedHash) =>
        !Argon2idHash.TryParse(encodedHash, out var stored)
        || stored.Cost.IsWeakerThan(Cost)
        || stored.Hash.Length < Argon2idHash.DefaultHashLength;

    private static bool VerifyCore(string password, Argon2idHash stored)
    {
        byte[] input;
        try
        {
            input = PasswordNormalization.ToHashInput(password);
        }
        catch (ArgumentException)
        {
            // Not valid UTF-16: cannot be anyone's password. Spend the same work anyway.
            input = [];
        }

        var actual = new byte[stored.Hash.Length];
        try
        {
            Derive(input, stored.Salt, stored.Cost, actual);
            return input.Length > 0 && CryptographicOperations.FixedTimeEquals(actual, stored.Hash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
            CryptographicOperations.ZeroMemory(actual);
        }
    }

    private static Argon2idHash HashCore(ReadOnlySpan<byte> input, Argon2Cost cost)
    {
        Span<byte> salt = stackalloc byte[Argon2idHash.SaltLength];
        RandomNumberGenerator.Fill(salt);
        Span<byte> hash = stackalloc byte[Argon2idHash.DefaultHashLength];
        Derive(input, salt, cost, hash);
        var result = new Argon2idHash(cost, salt, hash);
        CryptographicOperations.ZeroMemory(hash);
        return result;
    }

    private static void Derive(ReadOnlySpan<byte> input, ReadOnlySpan<byte> salt, Argon2Cost cost, Span<byte> output)
    {
        var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = Argon2Cost.Parallelism,
            MemorySize = cost.MemoryKib,
            NumberOfPasses = cost.Passes,
        });
        algorithm.DeriveBytes(input, salt, output);
    }
}
