namespace Rampart.Imap.Rendering;

/// <summary>The <c>i;ascii-casemap</c> collation (RFC 4790 §9.2) SORT uses by default (RFC 5256 §2.1): octets
/// compared with a-z mapped to A-Z, anything else as it is. Text is compared by code point, which orders the same
/// as comparing its UTF-8 octets.</summary>
internal sealed class AsciiCasemap : IComparer<string>
{
    public static AsciiCasemap Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        x ??= string.Empty;
        y ??= string.Empty;
        int i = 0;
        int j = 0;
        while (i < x.Length && j < y.Length)
        {
            int a = Next(x, ref i);
            int b = Next(y, ref j);
            if (a != b)
            {
                return a < b ? -1 : 1;
            }
        }

        return (x.Length - i).CompareTo(y.Length - j);
    }

    private static int Next(string text, ref int at)
    {
        char c = text[at++];
        if (c is >= 'a' and <= 'z')
        {
            return c - 32;
        }

        if (char.IsHighSurrogate(c) && at < text.Length && char.IsLowSurrogate(text[at]))
        {
            return char.ConvertToUtf32(c, text[at++]);
        }

        return c;
    }
}
