using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using Rampart.Security.Passwords;

namespace Rampart.Security.Credentials;

/// <summary>
/// Everything Rampart keeps about an account's password: the Argon2id PHC string (for PLAIN, LOGIN and the
/// protocols' own password commands), the SCRAM-SHA-256 keys derived when the password was set (and SCRAM-SHA-1
/// keys when an admin enabled SCRAM-SHA-1 at that time), and when it was set. Nothing in it is password-equivalent. The store keeps it as the string <see cref="Serialize"/>
/// returns (a small JSON document), opaque to the store.
/// </summary>
/// <remarks>NIST SP 800-63B §5.1.1.2; RFC 5802 §3 and RFC 7677 for the SCRAM part.</remarks>
public sealed class PasswordCredential
{
    /// <summary>The document version <see cref="Serialize"/> writes and <see cref="TryParse"/> accepts.</summary>
    public const int FormatVersion = 1;

    /// <summary>The longest serialized credential <see cref="TryParse"/> reads; real ones are about 300 characters.</summary>
    public const int MaxSerializedLength = 4096;

    /// <summary>Creates a credential from its parts.</summary>
    /// <param name="passwordHash">An Argon2id PHC string that <see cref="Argon2idHash.TryParse"/> accepts.</param>
    /// <param name="scram">The SCRAM-SHA-256 keys.</param>
    /// <param name="changedAt">When the password was set.</param>
    public PasswordCredential(string passwordHash, ScramCredential scram, DateTimeOffset changedAt)
        : this(passwordHash, scram, scramSha1: null, changedAt)
    {
    }

    /// <summary>Creates a credential from its parts, with SCRAM-SHA-1 keys.</summary>
    /// <param name="passwordHash">An Argon2id PHC string that <see cref="Argon2idHash.TryParse"/> accepts.</param>
    /// <param name="scram">The SCRAM-SHA-256 keys.</param>
    /// <param name="scramSha1">The SCRAM-SHA-1 keys, or null when SCRAM-SHA-1 was off when the password was set.</param>
    /// <param name="changedAt">When the password was set.</param>
    public PasswordCredential(string passwordHash, ScramCredential scram, ScramCredential? scramSha1, DateTimeOffset changedAt)
    {
        ArgumentNullException.ThrowIfNull(scram);
        if (scram.Algorithm != HashAlgorithmName.SHA256 || (scramSha1 is not null && scramSha1.Algorithm != HashAlgorithmName.SHA1))
        {
            throw new ArgumentException("The SCRAM keys are for the wrong hash.");
        }

        if (!Argon2idHash.TryParse(passwordHash, out _))
        {
            throw new ArgumentException("Not an Argon2id PHC string.", nameof(passwordHash));
        }

        PasswordHash = passwordHash;
        Scram = scram;
        ScramSha1 = scramSha1;
        ChangedAt = changedAt.ToUniversalTime();
    }

    /// <summary>The Argon2id PHC string, verified with <see cref="PasswordHasher.Verify"/>.</summary>
    public string PasswordHash { get; }

    /// <summary>The SCRAM-SHA-256 keys.</summary>
    public ScramCredential Scram { get; }

    /// <summary>
    /// The SCRAM-SHA-1 keys (RFC 5802 §5), derived only while an admin has SCRAM-SHA-1 enabled; null otherwise. They
    /// share the SCRAM-SHA-256 salt and iteration count, so that the salt a client sees does not depend on the
    /// mechanism (an unknown user's decoy salt does not either).
    /// </summary>
    public ScramCredential? ScramSha1 { get; }

    /// <summary>When the password was set (UTC); password expiry counts from here.</summary>
    public DateTimeOffset ChangedAt { get; }

    /// <summary>
    /// Derives a credential for a new password: an Argon2id hash at <paramref name="hasher"/>'s cost and SCRAM
    /// keys with a fresh salt and <paramref name="scramIterations"/>. Policy checks (length, breached lists)
    /// happen before this and are not its job. With <paramref name="withScramSha1"/>, SCRAM-SHA-1 keys too (same salt
    /// and iterations).
    /// </summary>
    /// <exception cref="ArgumentException">The password is empty, or contains characters SASLprep prohibits (control characters and the like).</exception>
    public static PasswordCredential Create(
        string password, PasswordHasher hasher, DateTimeOffset changedAt, int scramIterations = ScramCredential.DefaultIterations, bool withScramSha1 = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentNullException.ThrowIfNull(hasher);
        // SCRAM first: it refuses what SASLprep prohibits, before the more expensive Argon2 runs.
        var scram = ScramCredential.Create(password, scramIterations);
        var scramSha1 = withScramSha1 ? ScramCredential.Derive(HashAlgorithmName.SHA1, password, scram.Salt, scram.Iterations) : null;
        return new PasswordCredential(hasher.Hash(password), scram, scramSha1, changedAt);
    }

    /// <summary>The credential as a JSON document (version <see cref="FormatVersion"/>).</summary>
    public string Serialize() =>
        JsonSerializer.Serialize(
            new PasswordCredentialDocument
            {
                Version = FormatVersion,
                Argon2id = PasswordHash,
                ScramSha256 = new ScramCredentialDocument
                {
                    Salt = Scram.Salt.ToArray(),
                    Iterations = Scram.Iterations,
                    StoredKey = Scram.StoredKey.ToArray(),
                    ServerKey = Scram.ServerKey.ToArray(),
                },
                ScramSha1 = ScramSha1 is null ? null : new ScramCredentialDocument
                {
                    Salt = ScramSha1.Salt.ToArray(),
                    Iterations = ScramSha1.Iterations,
                    StoredKey = ScramSha1.StoredKey.ToArray(),
                    ServerKey = ScramSha1.ServerKey.ToArray(),
                },
                ChangedAt = ChangedAt,
            },
            CredentialJsonContext.Default.PasswordCredentialDocument);

    /// <summary>Reads what <see cref="Serialize"/> wrote; throws <see cref="FormatException"/> for anything else.</summary>
    public static PasswordCredential Parse(string text) =>
        TryParse(text, out var credential) ? credential : throw new FormatException("Not a Rampart password credential.");

    /// <summary>Reads what <see cref="Serialize"/> wrote; false for a wrong version, a missing part or a value out of bounds.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out PasswordCredential? credential)
    {
        credential = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxSerializedLength)
        {
            return false;
        }

        PasswordCredentialDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(text, CredentialJsonContext.Default.PasswordCredentialDocument);
        }
        catch (JsonException)
        {
            return false;
        }

        if (document is not { Version: FormatVersion, Argon2id: { } hash, ScramSha256: { Salt: { } salt, StoredKey: { } storedKey, ServerKey: { } serverKey } scram }
            || !Argon2idHash.TryParse(hash, out _)
            || salt.Length is < ScramCredential.MinSaltLength or > 64
            || scram.Iterations is < ScramCredential.MinIterations or > ScramCredential.MaxIterations
            || storedKey.Length != ScramCredential.KeyLength
            || serverKey.Length != ScramCredential.KeyLength)
        {
            return false;
        }

        // SCRAM-SHA-1 keys are optional; present but damaged is a damaged record.
        ScramCredential? scramSha1 = null;
        if (document.ScramSha1 is { } sha1)
        {
            if (sha1 is not { Salt: { } sha1Salt, StoredKey: { } sha1Stored, ServerKey: { } sha1Server }
                || sha1Salt.Length is < ScramCredential.MinSaltLength or > 64
                || sha1.Iterations is < ScramCredential.MinIterations or > ScramCredential.MaxIterations
                || sha1Stored.Length != ScramCredential.Sha1KeyLength
                || sha1Server.Length != ScramCredential.Sha1KeyLength)
            {
                return false;
            }

            scramSha1 = new ScramCredential(HashAlgorithmName.SHA1, sha1Salt, sha1.Iterations, sha1Stored, sha1Server);
        }

        credential = new PasswordCredential(hash, new ScramCredential(salt, scram.Iterations, storedKey, serverKey), scramSha1, document.ChangedAt);
        return true;
    }
}
