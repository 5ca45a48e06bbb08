using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Rampart.Security.Passwords;

/// <summary>
/// An Argon2id hash in the PHC string format:
/// <c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c>, salt and hash in standard base64 without
/// padding. Rampart writes and reads the string itself, so that the format stays readable by any other
/// Argon2 implementation (the reference <c>argon2</c> tool produces the same strings).
/// </summary>
/// <remarks>RFC 9106 (Argon2); PHC string format. Version 19 is Argon2 1.3, the only one accepted.</remarks>
public sealed class Argon2idHash
{
    /// <summary>The salt length: libsodium's Argon2id takes exactly 16 bytes.</summary>
    public const int SaltLength = 16;

    /// <summary>The length of the hashes Rampart writes (256 bits).</summary>
    public const int DefaultHashLength = 32;

    /// <summary>The shortest stored hash accepted (128 bits): shorter would weaken the comparison.</summary>
    public const int MinHashLength = 16;

    /// <summary>The longest stored hash accepted.</summary>
    public const int MaxHashLength = 64;

    private const string Prefix = "$argon2id$v=19$";

    private readonly byte[] _salt;
    private readonly byte[] _hash;

    /// <summary>Creates a hash record; the arrays are copied.</summary>
    public Argon2idHash(Argon2Cost cost, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> hash)
    {
        ArgumentNullException.ThrowIfNull(cost);
        if (salt.Length != SaltLength)
        {
            throw new ArgumentException($"The salt must be {SaltLength} bytes.", nameof(salt));
        }

        if (hash.Length is < MinHashLength or > MaxHashLength)
        {
            throw new ArgumentException($"The hash must be {MinHashLength} to {MaxHashLength} bytes.", nameof(hash));
        }

        Cost = cost;
        _salt = salt.ToArray();
        _hash = hash.ToArray();
    }

    /// <summary>The cost parameters (m, t, p).</summary>
    public Argon2Cost Cost { get; }

    /// <summary>The salt.</summary>
    public ReadOnlySpan<byte> Salt => _salt;

    /// <summary>The hash output.</summary>
    public ReadOnlySpan<byte> Hash => _hash;

    /// <summary>Parses a PHC string; false for anything but a well-formed Argon2id v=19 string within bounds.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Argon2idHash? hash)
    {
        hash = null;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        // After the prefix: "m=..,t=..,p=..$salt$hash" - exactly three parts.
        var rest = text.AsSpan(Prefix.Length);
        Span<Range> parts = stackalloc Range[4];
        if (rest.Split(parts, '$') != 3)
        {
            return false;
        }

        if (!TryParseParameters(rest[parts[0]], out var memory, out var passes, out var lanes)
            || lanes != 1
            || memory is < Argon2Cost.MinMemoryKib or > Argon2Cost.MaxMemoryKib
            || passes is < 1 or > Argon2Cost.MaxPasses)
        {
            return false;
        }

        if (!TryDecodeUnpadded(rest[parts[1]], out var salt) || salt.Length != SaltLength
            || !TryDecodeUnpadded(rest[parts[2]], out var digest) || digest.Length is < MinHashLength or > MaxHashLength)
        {
            return false;
        }

        hash = new Argon2idHash(new Argon2Cost(memory, passes), salt, digest);
        return true;
    }

    /// <summary>The PHC string.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(Prefix.Length + 32 + 22 + 86);
        builder.Append(Prefix)
            .Append(CultureInfo.InvariantCulture, $"m={Cost.MemoryKib},t={Cost.Passes},p={Argon2Cost.Parallelism}$")
            .Append(Convert.ToBase64String(_salt).TrimEnd('='))
            .Append('$')
            .Append(Convert.ToBase64String(_hash).TrimEnd('='));
        return builder.ToString();
    }

    private static bool TryParseParameters(ReadOnlySpan<char> text, out int memory, out int passes, out int lanes)
    {
        memory = passes = lanes = 0;
        Span<Range> fields = stackalloc Range[4];
        if (text.Split(fields, ',') != 3)
        {
            return false;
        }

        // The PHC format fixes the order m, t, p.
        return TryParseField(text[fields[0]], "m=", out memory)
            && TryParseField(text[fields[1]], "t=", out passes)
            && TryParseField(text[fields[2]], "p=", out lanes);
    }

    private static bool TryParseField(ReadOnlySpan<char> field, string name, out int value)
    {
        value = 0;
        return field.StartsWith(name, StringComparison.Ordinal)
            && field.Length <= name.Length + 10
            && int.TryParse(field[name.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryDecodeUnpadded(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        // PHC: standard alphabet, no padding. A remainder of 1 character can never be valid base64.
        if (text.IsEmpty || text.Length % 4 == 1 || text.Length > 128)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '/')
            {
                return false;
            }
        }

        Span<char> padded = stackalloc char[text.Length + 3];
        text.CopyTo(padded);
        var length = text.Length;
        while (length % 4 != 0)
        {
            padded[length++] = '=';
        }

        Span<byte> buffer = stackalloc byte[length / 4 * 3];
        if (!Convert.TryFromBase64Chars(padded[..length], buffer, out var written))
        {
            return false;
        }

        bytes = buffer[..written].ToArray();
        // Reject non-canonical encodings (stray low bits), so one hash has exactly one string.
        return Convert.ToBase64String(bytes).TrimEnd('=').AsSpan().SequenceEqual(text);
    }
}
