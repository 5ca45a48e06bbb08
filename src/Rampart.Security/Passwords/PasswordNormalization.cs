using System.Text;

namespace Rampart.Security.Passwords;

/// <summary>
/// Turns a password into the bytes that are hashed: Unicode NFKC, then UTF-8, never truncated. NFKC makes
/// the ligature "ﬁ" and "fi", or a full-width "Ａ" and "A", the same password, whatever keyboard or input
/// method typed it (NIST SP 800-63B §5.1.1.2 asks for NFKC or NFKD).
/// </summary>
/// <remarks>
/// .NET normalizes through ICU. A process running with <c>InvariantGlobalization</c> has no ICU and leaves
/// strings unchanged, which would make a non-ASCII password hash differently from the same password set on
/// a normal process. So non-ASCII input throws <see cref="PlatformNotSupportedException"/> there instead of
/// silently skipping the step; ASCII is already NFKC and needs no ICU. The executable that hosts Rampart must
/// set <c>InvariantGlobalization</c> to false; <see cref="IsUnicodeNormalizationAvailable"/> lets it check at
/// startup.
/// </remarks>
public static class PasswordNormalization
{
    /// <summary>True when this process can normalize non-ASCII text (ICU is loaded).</summary>
    public static bool IsUnicodeNormalizationAvailable { get; } = "\uFB01".Normalize(NormalizationForm.FormKC) == "fi";

    /// <summary>
    /// Returns the NFKC form of <paramref name="text"/>. Throws <see cref="ArgumentException"/> for text that is
    /// not valid UTF-16 (a lone surrogate), and <see cref="PlatformNotSupportedException"/> for non-ASCII text
    /// when ICU is absent.
    /// </summary>
    public static string ToNfkc(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text))
        {
            return text;
        }

        if (!IsUnicodeNormalizationAvailable)
        {
            throw new PlatformNotSupportedException(
                "Unicode normalization needs ICU; the process runs with InvariantGlobalization, so non-ASCII passwords cannot be prepared.");
        }

        return text.Normalize(NormalizationForm.FormKC);
    }

    /// <summary>NFKC, then UTF-8: the bytes a password is hashed as. The caller should zero the array when done.</summary>
    public static byte[] ToHashInput(string password) => Encoding.UTF8.GetBytes(ToNfkc(password));
}
