using System.Buffers;
using System.Text;

namespace Rampart.Smtp.Protocol;

/// <summary>Writes SMTP replies: <c>code SP [enhanced SP] text CRLF</c>, and multi-line replies with <c>code-</c>.</summary>
/// <remarks>RFC 5321 §4.2 (reply lines, multi-line form), RFC 2034 §4 and RFC 3463 (enhanced status codes, sent
/// only once ENHANCEDSTATUSCODES was advertised). Text is sanitised: a CR or LF in it would end the reply early
/// and let attacker-controlled text (an address echoed back) forge a reply line.</remarks>
public static class SmtpReply
{
    /// <summary>Writes one line of a reply.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="code">The three-digit reply code.</param>
    /// <param name="enhanced">The enhanced status code (<c>2.1.0</c>), or null to send none.</param>
    /// <param name="text">Human-readable text.</param>
    /// <param name="last">False for every line but the last of a multi-line reply.</param>
    public static void Write(IBufferWriter<byte> output, int code, string? enhanced, string text, bool last = true)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(code, 200);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 599);
        var builder = new StringBuilder(text.Length + 16);
        builder.Append(code).Append(last ? ' ' : '-');
        if (enhanced is not null)
        {
            builder.Append(enhanced).Append(' ');
        }

        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        builder.Append("\r\n");
        var line = builder.ToString();
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(line.Length));
        output.Advance(Encoding.UTF8.GetBytes(line, span));
    }

    /// <summary>The class digit of an enhanced code matching <paramref name="code"/> (RFC 3463 §3.1: 2, 4 or 5).</summary>
    public static char ClassOf(int code) => (char)('0' + (code / 100));
}
