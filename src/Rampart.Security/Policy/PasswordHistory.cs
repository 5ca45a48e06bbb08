using System.Text.Json;
using Rampart.Security.Passwords;

namespace Rampart.Security.Policy;

/// <summary>
/// The Argon2id hashes of an account's most recent passwords (the current one included), kept as the
/// <c>password-history</c> secret: a JSON array of PHC strings, newest first. A new password is compared by
/// verifying it against each, so the history is as hard to attack as the current hash.
/// </summary>
public sealed class PasswordHistory
{
    /// <summary>The most entries kept, whatever a profile asks: a bound on verification work per change.</summary>
    public const int MaxDepth = 24;

    private readonly List<string> _hashes;

    private PasswordHistory(List<string> hashes) => _hashes = hashes;

    /// <summary>The hashes, newest first.</summary>
    public IReadOnlyList<string> Hashes => _hashes;

    /// <summary>Reads a stored history; an absent or damaged one is empty.</summary>
    public static PasswordHistory Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 64 * 1024)
        {
            return new([]);
        }

        try
        {
            var hashes = JsonSerializer.Deserialize(text, PolicyJsonContext.Default.ListString) ?? [];
            return new([.. hashes.Where(h => Argon2idHash.TryParse(h, out _)).Take(MaxDepth)]);
        }
        catch (JsonException)
        {
            return new([]);
        }
    }

    /// <summary>True when <paramref name="password"/> matches one of the newest <paramref name="depth"/> entries.</summary>
    public bool Contains(string password, int depth, PasswordHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        return _hashes.Take(Math.Min(depth, MaxDepth)).Any(hash => hasher.Verify(password, hash));
    }

    /// <summary>Adds <paramref name="hash"/> as the newest entry, keeping at most <paramref name="depth"/>.</summary>
    public void Push(string hash, int depth)
    {
        _hashes.Insert(0, hash);
        var keep = Math.Clamp(depth, 1, MaxDepth);
        if (_hashes.Count > keep)
        {
            _hashes.RemoveRange(keep, _hashes.Count - keep);
        }
    }

    /// <summary>The history as stored.</summary>
    public string Serialize() => JsonSerializer.Serialize(_hashes, PolicyJsonContext.Default.ListString);
}
