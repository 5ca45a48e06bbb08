using System.Globalization;

namespace Rampart.Smtp.Domains;

/// <summary>Domain names in the one form Rampart stores and compares: the lower-case A-label (RFC 5890 §2.3.2.1),
/// so that <c>BÜCHER.example</c>, <c>bücher.example</c> and <c>xn--bcher-kva.example</c> are the same domain.</summary>
public static class DomainName
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>The lower-case A-label form of <paramref name="domain"/> (a trailing dot is dropped).</summary>
    /// <exception cref="FormatException">Not a valid host name (RFC 1123 §2.1 letters, digits, hyphens; 253 octets at most).</exception>
    public static string ToAscii(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var trimmed = domain.Trim();
        if (trimmed.EndsWith('.'))
        {
            trimmed = trimmed[..^1];
        }

        if (trimmed.Length == 0)
        {
            throw new FormatException("empty domain name");
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(trimmed).ToLowerInvariant();
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{domain}: not a valid domain name ({e.Message})", e);
        }

        if (ascii.Length > 253 || !ascii.Contains('.', StringComparison.Ordinal))
        {
            throw new FormatException($"{domain}: not a fully qualified domain name");
        }

        return ascii;
    }

    /// <summary>Like <see cref="ToAscii"/>, false instead of an exception.</summary>
    public static bool TryToAscii(string domain, out string ascii)
    {
        try
        {
            ascii = ToAscii(domain);
            return true;
        }
        catch (FormatException)
        {
            ascii = string.Empty;
            return false;
        }
    }

    /// <summary>The U-label form for people to read; the input when it has no A-labels.</summary>
    public static string ToUnicode(string asciiDomain)
    {
        try
        {
            return Idn.GetUnicode(asciiDomain);
        }
        catch (ArgumentException)
        {
            return asciiDomain;
        }
    }
}
