using System.Buffers;
using System.Text;

namespace Rampart.Pop3.Protocol;

/// <summary>One client command line, split into its keyword and its argument text.</summary>
/// <remarks>
/// RFC 1939 §3: a keyword of three or four printable characters, case-insensitive, then arguments separated by a
/// single space. The argument text is kept whole because PASS takes the rest of the line as one argument
/// (passwords may contain spaces, RFC 1939 §7) and AUTH carries a base64 initial response (RFC 5034 §4).
/// </remarks>
/// <param name="Keyword">The keyword, upper-cased ASCII (e.g. <c>RETR</c>).</param>
/// <param name="Argument">Everything after the first space, decoded as UTF-8; empty when there is none.</param>
public sealed record Pop3CommandLine(string Keyword, string Argument)
{
    /// <summary>Longest keyword: RFC 1939 §3 keywords are three or four characters (CAPA, STLS, UTF8 included).</summary>
    public const int MaxKeywordLength = 4;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The arguments split on spaces (runs of spaces count as one; RFC 1939 asks for one, clients vary).</summary>
    public IReadOnlyList<string> Arguments =>
        Argument.Length == 0 ? [] : Argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Parses a line (without CRLF). Fails, with a reason for the <c>-ERR</c> reply, on an empty line, a keyword
    /// that is not 1–4 ASCII letters or digits, control characters, or bytes that are not UTF-8.
    /// </summary>
    public static bool TryParse(ReadOnlySequence<byte> line, out Pop3CommandLine? command, out string error)
    {
        command = null;
        error = string.Empty;
        if (line.IsEmpty)
        {
            error = "Empty command";
            return false;
        }

        var bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        var space = bytes.IndexOf((byte)' ');
        var keyword = space < 0 ? bytes : bytes[..space];
        if (keyword.IsEmpty || keyword.Length > MaxKeywordLength)
        {
            error = "Unknown command";
            return false;
        }

        foreach (var b in keyword)
        {
            if (b is not ((>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')))
            {
                error = "Unknown command";
                return false;
            }
        }

        var argument = space < 0 ? [] : bytes[(space + 1)..];
        foreach (var b in argument)
        {
            // Control characters have no place in a POP3 argument (RFC 1939 §3: printable characters); a
            // tab or escape sequence smuggled into a user name would otherwise reach the logs.
            if (b < 0x20 || b == 0x7F)
            {
                error = "Control characters are not allowed";
                return false;
            }
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(argument);
        }
        catch (DecoderFallbackException)
        {
            error = "Arguments must be UTF-8";
            return false;
        }

        command = new Pop3CommandLine(Encoding.ASCII.GetString(keyword).ToUpperInvariant(), text);
        return true;
    }
}
