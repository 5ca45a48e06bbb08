using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Rampart.Imap.Protocol;

/// <summary>The modified UTF-7 of IMAP4rev1 mailbox names (RFC 3501 §5.1.3), strict in both directions.</summary>
/// <remarks>
/// Decoding refuses every form the RFC forbids, because one name must have one spelling (SECURITY.md M08):
/// a printable US-ASCII character inside a shifted run, an unterminated run, <c>&amp;</c> not followed by a
/// run or <c>-</c>, non-zero trailing bits, an odd UTF-16 length, lone surrogates, and two adjacent runs.
/// </remarks>
internal static class ModifiedUtf7
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    /// <summary>Encodes a UTF-8 name for a rev1 client.</summary>
    public static string Encode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var result = new StringBuilder(name.Length);
        var i = 0;
        while (i < name.Length)
        {
            var c = name[i];
            if (c is >= (char)0x20 and <= (char)0x7e)
            {
                result.Append(c == '&' ? "&-" : c);
                i++;
                continue;
            }

            var start = i;
            while (i < name.Length && name[i] is < (char)0x20 or > (char)0x7e)
            {
                i++;
            }

            result.Append('&');
            var bits = 0;
            var buffer = 0;
            for (var j = start; j < i; j++)
            {
                buffer = (buffer << 16) | name[j];
                bits += 16;
                while (bits >= 6)
                {
                    bits -= 6;
                    result.Append(Alphabet[(buffer >> bits) & 0x3f]);
                }
            }

            if (bits > 0)
            {
                result.Append(Alphabet[(buffer << (6 - bits)) & 0x3f]);
            }

            result.Append('-');
        }

        return result.ToString();
    }

    /// <summary>Decodes a rev1 name; false when it is not canonical modified UTF-7.</summary>
    public static bool TryDecode(string encoded, [NotNullWhen(true)] out string? name)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        name = null;
        var result = new StringBuilder(encoded.Length);
        var i = 0;
        var previousWasRun = false;
        while (i < encoded.Length)
        {
            var c = encoded[i];
            if (c is < (char)0x20 or > (char)0x7e)
            {
                return false;
            }

            if (c != '&')
            {
                result.Append(c);
                previousWasRun = false;
                i++;
                continue;
            }

            var end = encoded.IndexOf('-', i + 1);
            if (end < 0)
            {
                return false;
            }

            if (end == i + 1)
            {
                result.Append('&');
                previousWasRun = false;
                i = end + 1;
                continue;
            }

            if (previousWasRun)
            {
                return false; // "&AAA-&AAA-" must be written as one run.
            }

            int bits = 0, buffer = 0;
            var units = new List<char>();
            for (var j = i + 1; j < end; j++)
            {
                var value = Alphabet.IndexOf(encoded[j], StringComparison.Ordinal);
                if (value < 0)
                {
                    return false;
                }

                buffer = (buffer << 6) | value;
                bits += 6;
                if (bits >= 16)
                {
                    bits -= 16;
                    units.Add((char)((buffer >> bits) & 0xffff));
                }
            }

            // Leftover bits must be fewer than 6 and all zero; a run must hold at least one unit.
            if (bits >= 6 || (buffer & ((1 << bits) - 1)) != 0 || units.Count == 0)
            {
                return false;
            }

            foreach (var unit in units)
            {
                if (unit is >= (char)0x20 and <= (char)0x7e)
                {
                    return false; // Printable ASCII must not be encoded.
                }
            }

            var text = new string([.. units]);
            if (!IsWellFormedUtf16(text))
            {
                return false;
            }

            result.Append(text);
            previousWasRun = true;
            i = end + 1;
        }

        name = result.ToString();
        return true;
    }

    private static bool IsWellFormedUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
