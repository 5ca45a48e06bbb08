using System.Security.Cryptography;

namespace Rampart.Security.AppPasswords;

/// <summary>
/// The shape of an app password: 20 characters from a 31-letter alphabet without look-alikes (about 99 bits), shown
/// in five groups of four, <c>k7mq-2xwp-…</c>. The first group is its id. Input is accepted with or without the
/// dashes and spaces, in any case, because people retype it on phones.
/// </summary>
public static class AppPasswordFormat
{
    /// <summary>Characters in an app password, not counting the dashes.</summary>
    public const int Length = 20;

    /// <summary>Characters in the id (the first group).</summary>
    public const int IdLength = 4;

    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    /// <summary>A fresh app password, formatted for display.</summary>
    public static string Generate()
    {
        var chars = new char[Length];
        for (var i = 0; i < Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return string.Join('-', Enumerable.Range(0, Length / IdLength).Select(g => new string(chars, g * IdLength, IdLength)));
    }

    /// <summary>True when <paramref name="presented"/> has the shape of an app password; gives its id and canonical form.</summary>
    public static bool TryParse(string? presented, out string id, out string canonical)
    {
        id = canonical = string.Empty;
        if (presented is null || presented.Length > 64)
        {
            return false;
        }

        var cleaned = new string([.. presented.Where(c => c is not ('-' or ' '))]).ToLowerInvariant();
        if (cleaned.Length != Length || !cleaned.All(c => Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            return false;
        }

        canonical = cleaned;
        id = cleaned[..IdLength];
        return true;
    }
}
