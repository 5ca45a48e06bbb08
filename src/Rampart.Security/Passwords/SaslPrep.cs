using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Rampart.Security.Passwords;

/// <summary>
/// SASLprep (RFC 4013), the preparation SCRAM applies to passwords before PBKDF2 (RFC 5802 §2.2), in the
/// practical subset that matters for passwords typed by people:
/// <list type="number">
/// <item>map the "commonly mapped to nothing" characters (RFC 3454 B.1, e.g. soft hyphen, zero-width joiners)
/// to nothing, and non-ASCII spaces (C.1.2) to U+0020 (RFC 4013 §2.1);</item>
/// <item>normalize with NFKC (§2.2);</item>
/// <item>refuse the prohibited output of §2.3: control characters (C.2.1, C.2.2), private use (C.3),
/// non-characters (C.4), surrogates (C.5), characters inappropriate for plain text or canonical
/// representation (C.6, C.7), change-display and deprecated characters (C.8), tagging characters (C.9).</item>
/// </list>
/// Not done: the bidirectional check (§2.4, RFC 3454 §6) and the refusal of unassigned code points (§2.5),
/// which need Unicode 3.2 tables; both only refuse more strings, so a password that passes here and contains
/// neither mixed-direction text nor unassigned code points prepares exactly as the full profile does.
/// </summary>
public static class SaslPrep
{
    /// <summary>Prepares <paramref name="text"/>; false when it contains a prohibited character.</summary>
    public static bool TryPrepare(string text, [NotNullWhen(true)] out string? prepared)
    {
        ArgumentNullException.ThrowIfNull(text);
        prepared = null;
        var mapped = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            // EnumerateRunes turns a lone surrogate (C.5) into U+FFFD, itself prohibited (C.6): refuse both.
            if (rune == Rune.ReplacementChar)
            {
                return false;
            }

            if (IsMappedToNothing(rune.Value))
            {
                continue;
            }

            mapped.Append(IsNonAsciiSpace(rune.Value) ? " " : rune.ToString());
        }

        string normalized;
        try
        {
            normalized = PasswordNormalization.ToNfkc(mapped.ToString());
        }
        catch (ArgumentException)
        {
            return false;
        }

        foreach (var rune in normalized.EnumerateRunes())
        {
            if (IsProhibited(rune.Value))
            {
                return false;
            }
        }

        prepared = normalized;
        return true;
    }

    /// <summary>Prepares <paramref name="text"/>; throws <see cref="ArgumentException"/> when it contains a prohibited character.</summary>
    public static string Prepare(string text) =>
        TryPrepare(text, out var prepared)
            ? prepared
            : throw new ArgumentException("The text contains characters SASLprep (RFC 4013) prohibits, such as control characters.", nameof(text));

    // RFC 3454 B.1.
    private static bool IsMappedToNothing(int c) =>
        c is 0x00AD or 0x034F or 0x1806 or (>= 0x180B and <= 0x180D) or (>= 0x200B and <= 0x200D)
            or 0x2060 or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF;

    // RFC 3454 C.1.2 (U+200B is also in B.1 and is removed before this applies).
    private static bool IsNonAsciiSpace(int c) =>
        c is 0x00A0 or 0x1680 or (>= 0x2000 and <= 0x200B) or 0x202F or 0x205F or 0x3000;

    private static bool IsProhibited(int c) =>
        IsNonAsciiSpace(c)
        // C.2.1 ASCII control.
        || c is < 0x20 or 0x7F
        // C.2.2 non-ASCII control.
        || c is (>= 0x80 and <= 0x9F) or 0x06DD or 0x070F or 0x180E or 0x200C or 0x200D or 0x2028 or 0x2029
            or (>= 0x2060 and <= 0x2063) or (>= 0x206A and <= 0x206F) or 0xFEFF or (>= 0xFFF9 and <= 0xFFFC)
            or (>= 0x1D173 and <= 0x1D17A)
        // C.3 private use.
        || c is (>= 0xE000 and <= 0xF8FF) or (>= 0xF0000 and <= 0xFFFFD) or (>= 0x100000 and <= 0x10FFFD)
        // C.4 non-characters.
        || c is (>= 0xFDD0 and <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE
        // C.5 surrogates (only reachable through bad input), C.6, C.7.
        || c is (>= 0xD800 and <= 0xDFFF) or (>= 0xFFF9 and <= 0xFFFD) or (>= 0x2FF0 and <= 0x2FFB)
        // C.8 change display properties or deprecated.
        || c is 0x0340 or 0x0341 or 0x200E or 0x200F or (>= 0x202A and <= 0x202E)
        // C.9 tagging.
        || c is 0xE0001 or (>= 0xE0020 and <= 0xE007F);
}
