namespace Rampart.Security.Passwords;

/// <summary>
/// The cost of an Argon2id hash (RFC 9106 §3.1): memory in KiB and number of passes. The degree of
/// parallelism is always 1, because the libsodium implementation Rampart uses computes one lane only.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Default"/> is m = 19 MiB (19 456 KiB), t = 2, p = 1: the OWASP Password Storage Cheat Sheet's
/// first Argon2id setting. RFC 9106 §4 also recommends m = 64 MiB, t = 3, but with p = 4; at p = 1 that costs
/// about three times the CPU per verification and 64 MiB per concurrent verification. A mail server hashes
/// before authentication (and for unknown users too, so their timing matches), which an attacker can trigger
/// at will, so memory per verification bounds how many concurrent attempts we can afford. The verified-login
/// cache pays the cost once per TTL for legitimate clients. Admins who want more can configure it, and
/// <see cref="PasswordHasher.NeedsRehash(string)"/> upgrades stored hashes at the next successful login.
/// </para>
/// </remarks>
public sealed record Argon2Cost
{
    /// <summary>The least memory libsodium accepts, in KiB.</summary>
    public const int MinMemoryKib = 8;

    /// <summary>
    /// The most memory a stored hash may ask for, in KiB (4 GiB). A hash string from a damaged or tampered
    /// store must not make the server allocate without bound.
    /// </summary>
    public const int MaxMemoryKib = 4 * 1024 * 1024;

    /// <summary>The most passes a stored hash may ask for; a bound for the same reason as <see cref="MaxMemoryKib"/>.</summary>
    public const int MaxPasses = 64;

    /// <summary>Creates a cost; throws when a value is outside the bounds above.</summary>
    /// <param name="memoryKib">Memory in KiB, from <see cref="MinMemoryKib"/> to <see cref="MaxMemoryKib"/>.</param>
    /// <param name="passes">Passes over memory, from 1 to <see cref="MaxPasses"/>.</param>
    public Argon2Cost(int memoryKib, int passes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(memoryKib, MinMemoryKib);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(memoryKib, MaxMemoryKib);
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(passes, MaxPasses);
        MemoryKib = memoryKib;
        Passes = passes;
    }

    /// <summary>m = 19 456 KiB, t = 2, p = 1 (OWASP); see the remarks on the type for why.</summary>
    public static Argon2Cost Default { get; } = new(19_456, 2);

    /// <summary>Memory in KiB (the PHC string's <c>m</c>).</summary>
    public int MemoryKib { get; }

    /// <summary>Passes over memory (the PHC string's <c>t</c>).</summary>
    public int Passes { get; }

    /// <summary>Lanes (the PHC string's <c>p</c>); always 1.</summary>
    public const int Parallelism = 1;

    /// <summary>True when this cost is below <paramref name="other"/> in memory or in passes.</summary>
    public bool IsWeakerThan(Argon2Cost other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return MemoryKib < other.MemoryKib || Passes < other.Passes;
    }
}
