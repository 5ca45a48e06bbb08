using System.Buffers.Text;

namespace Rampart.Imap.Rendering;

/// <summary>The <c>&lt;origin.length&gt;</c> suffix of <c>BODY[…]</c> and <c>BINARY[…]</c> (RFC 9051 §6.4.5, RFC 3501
/// §6.4.5): <c>partial = "&lt;" number "." nz-number "&gt;"</c>, both unsigned 32-bit.</summary>
/// <remarks>The response echoes only the origin, <c>BODY[]&lt;origin&gt;</c>. An origin at or past the end yields
/// the empty string; a length reaching past the end yields the octets up to the end.</remarks>
/// <param name="Origin">Offset of the first octet returned.</param>
/// <param name="Length">Most octets returned, ≥ 1.</param>
public readonly record struct PartialRange(uint Origin, uint Length)
{
    /// <summary>Parses <c>&lt;a.b&gt;</c>; the angle brackets may be omitted (<c>a.b</c>). Returns false for a
    /// zero length, a number over 4,294,967,295, or any other text.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out PartialRange range)
    {
        range = default;
        if (text.Length >= 2 && text[0] == '<' && text[^1] == '>')
        {
            text = text[1..^1];
        }

        int dot = text.IndexOf((byte)'.');
        if (dot < 0 || !TryNumber(text[..dot], out uint origin) || !TryNumber(text[(dot + 1)..], out uint length) || length == 0)
        {
            return false;
        }

        range = new PartialRange(origin, length);
        return true;
    }

    /// <summary>The offset and count this range selects in content of <paramref name="contentLength"/> octets.</summary>
    public (long Start, long Count) Apply(long contentLength)
    {
        if (Origin >= contentLength)
        {
            return (contentLength, 0);
        }

        return (Origin, Math.Min(Length, contentLength - Origin));
    }

    private static bool TryNumber(ReadOnlySpan<byte> digits, out uint value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 10 || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return false;
        }

        return Utf8Parser.TryParse(digits, out value, out int consumed) && consumed == digits.Length;
    }
}
