using System.Net;
using System.Text;
using MimeKit;
using MimeKit.IO;

namespace Rampart.Store.Mime;

/// <summary>Decodes the text of a text/* part for search and preview, reading only as many raw octets as the
/// wanted number of characters can need (a 50 MB text part costs a bounded read).</summary>
internal static class TextExtractor
{
    /// <summary>Raw octets read per wanted character: quoted-printable may spend 3 octets per decoded octet and
    /// UTF-8 up to 3 octets per UTF-16 character; 9 covers both with base64's 4/3 inside it.</summary>
    private const int RawOctetsPerChar = 9;

    /// <summary>The decoded text of the part, HTML reduced to its text, at most <paramref name="maxChars"/> characters.</summary>
    public static string Decode(Stream raw, PartNode node, int maxChars)
    {
        if (maxChars <= 0 || node.BodyEnd <= node.HeaderEnd)
        {
            return string.Empty;
        }

        long end = Math.Min(node.BodyEnd, node.HeaderEnd + ((long)maxChars * RawOctetsPerChar) + 64);
        string text;
        using (var body = new BoundStream(raw, node.HeaderEnd, end, leaveOpen: true))
        {
            var part = new TextPart(node.Subtype) { Content = new MimeContent(body, ContentEncodingOf(node)) };
            string? charset = node.Parameters.FirstOrDefault(p => p.Key == "charset").Value;
            text = DecodeWith(part, charset);
        }

        if (node.Subtype == "html")
        {
            text = StripHtml(text);
        }

        return text.Length > maxChars ? Cut(text, maxChars) : text;
    }

    /// <summary>RFC 8970 §3: whitespace collapsed, at most <paramref name="maxChars"/> characters, never half a surrogate pair.</summary>
    public static string Preview(string text, int maxChars)
    {
        var preview = new StringBuilder(Math.Min(text.Length, maxChars + 1));
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                if (preview.Length > 0 && preview[^1] != ' ')
                {
                    preview.Append(' ');
                }
            }
            else
            {
                preview.Append(c);
            }

            if (preview.Length > maxChars)
            {
                break;
            }
        }

        string result = preview.ToString().Trim();
        return result.Length > maxChars ? Cut(result, maxChars).TrimEnd() : result;
    }

    /// <summary>The first <paramref name="maxChars"/> characters, one less when that would split a surrogate pair.</summary>
    public static string Cut(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return text;
        }

        int length = maxChars;
        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length];
    }

    /// <summary>Text of an HTML document: tags dropped, script and style content dropped, entities decoded.</summary>
    public static string StripHtml(string html)
    {
        var text = new StringBuilder(html.Length);
        int i = 0;
        while (i < html.Length)
        {
            char c = html[i];
            if (c != '<')
            {
                text.Append(c);
                i++;
                continue;
            }

            int close = html.IndexOf('>', i + 1);
            if (close < 0)
            {
                break;
            }

            var tag = html.AsSpan(i + 1, close - i - 1);
            i = close + 1;
            string? skipTo = tag.StartsWith("script", StringComparison.OrdinalIgnoreCase) ? "</script"
                : tag.StartsWith("style", StringComparison.OrdinalIgnoreCase) ? "</style"
                : null;
            if (skipTo is not null)
            {
                int end = html.IndexOf(skipTo, i, StringComparison.OrdinalIgnoreCase);
                i = end < 0 ? html.Length : end;
                continue;
            }

            // Block-level tags separate words; inline ones (<b>, <a>, …) sit inside words.
            if (!InlineTags.Contains(TagName(tag)))
            {
                text.Append(' ');
            }
        }

        return WebUtility.HtmlDecode(text.ToString());
    }

    private static readonly HashSet<string> InlineTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "abbr", "b", "big", "code", "em", "font", "i", "mark", "q", "s", "small", "span", "strong", "sub", "sup", "tt", "u",
    };

    private static string TagName(ReadOnlySpan<char> tag)
    {
        tag = tag.TrimStart('/');
        int end = 0;
        while (end < tag.Length && char.IsAsciiLetterOrDigit(tag[end]))
        {
            end++;
        }

        return tag[..end].ToString();
    }

    private static string DecodeWith(TextPart part, string? charset)
    {
        if (!string.IsNullOrEmpty(charset))
        {
            try
            {
                return part.GetText(charset);
            }
            catch (ArgumentException)
            {
                // Unknown charset name: fall through to MimeKit's UTF-8-then-Latin-1 guess.
            }
            catch (NotSupportedException)
            {
                // Charset known but not available in this runtime: same fallback.
            }
        }

        return part.Text;
    }

    private static ContentEncoding ContentEncodingOf(PartNode node) => ContentTypeReader.Encoding(node) switch
    {
        "BASE64" => ContentEncoding.Base64,
        "QUOTED-PRINTABLE" => ContentEncoding.QuotedPrintable,
        "X-UUENCODE" or "UUENCODE" or "X-UUE" => ContentEncoding.UUEncode,
        "8BIT" => ContentEncoding.EightBit,
        "BINARY" => ContentEncoding.Binary,
        _ => ContentEncoding.SevenBit,
    };
}
