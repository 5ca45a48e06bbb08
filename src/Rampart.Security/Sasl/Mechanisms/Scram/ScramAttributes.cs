namespace Rampart.Security.Sasl.Mechanisms.Scram;

/// <summary>Small checks on SCRAM attribute-value pairs (RFC 5802 §7).</summary>
internal static class ScramAttributes
{
    /// <summary>True when <paramref name="part"/> is <c>name=value</c> for the one-letter attribute <paramref name="name"/>.</summary>
    public static bool Is(ReadOnlySpan<char> part, char name) => part.Length >= 2 && part[0] == name && part[1] == '=';

    /// <summary>
    /// True for an optional extension <c>ALPHA "=" 1*value-char</c>, which the server ignores (RFC 5802 §7
    /// "extensions"). Only lower-case letters are attribute names in practice; any ASCII letter is accepted.
    /// </summary>
    public static bool IsExtension(ReadOnlySpan<char> part) =>
        part.Length >= 3 && char.IsAsciiLetter(part[0]) && part[1] == '=';

    /// <summary>
    /// True when <paramref name="nonce"/> is 1 or more printable ASCII characters other than "," (RFC 5802 §7
    /// <c>printable</c>).
    /// </summary>
    public static bool IsPrintable(ReadOnlySpan<char> nonce)
    {
        if (nonce.IsEmpty)
        {
            return false;
        }

        foreach (var c in nonce)
        {
            if (c is < '!' or > '~' or ',')
            {
                return false;
            }
        }

        return true;
    }
}
