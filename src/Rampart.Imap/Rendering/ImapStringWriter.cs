using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;

namespace Rampart.Imap.Rendering;

/// <summary>Writes IMAP strings, nstrings and astrings into a response (RFC 9051 §4.3, RFC 3501 §4.3): a quoted
/// string when the octets allow it, otherwise a synchronizing literal <c>{n}\r\n…</c>.</summary>
/// <remarks>
/// A quoted string cannot hold CR, LF or NUL (RFC 9051 §9 <c>QUOTED-CHAR</c>). 8-bit octets may be quoted only as
/// valid UTF-8 and only when the client enabled UTF8=ACCEPT or the session is IMAP4rev2 (RFC 9051 §4.3, RFC 6855 §3);
/// for an IMAP4rev1 client without it they go in a literal, where any octet but NUL is allowed. Long values also go
/// as literals so that no response line grows past what clients read as one line.
/// </remarks>
public static class ImapStringWriter
{
    /// <summary>Longest value written as a quoted string: 1,024 octets. Longer values are sent as literals, which
    /// every client reads by length; a quoted string must be scanned for its end and some clients cap line length.</summary>
    public const int MaxQuotedLength = 1024;

    private static ReadOnlySpan<byte> Nil => "NIL"u8;

    /// <summary>Writes <paramref name="value"/> as a quoted string or a literal.</summary>
    public static void WriteString(IBufferWriter<byte> output, ReadOnlySpan<byte> value, bool utf8Allowed)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (CanQuote(value, utf8Allowed))
        {
            WriteQuoted(output, value);
        }
        else
        {
            WriteLiteral(output, value);
        }
    }

    /// <summary>Writes <paramref name="value"/>, encoded as UTF-8, as a quoted string or a literal.</summary>
    public static void WriteString(IBufferWriter<byte> output, string value, bool utf8Allowed)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= 256)
        {
            Span<byte> buffer = stackalloc byte[value.Length * 3];
            int written = Encoding.UTF8.GetBytes(value, buffer);
            WriteString(output, buffer[..written], utf8Allowed);
            return;
        }

        WriteString(output, Encoding.UTF8.GetBytes(value), utf8Allowed);
    }

    /// <summary>Writes <c>NIL</c> for null, otherwise the string (RFC 9051 §9 <c>nstring</c>).</summary>
    public static void WriteNString(IBufferWriter<byte> output, string? value, bool utf8Allowed)
    {
        if (value is null)
        {
            WriteAscii(output, Nil);
            return;
        }

        WriteString(output, value, utf8Allowed);
    }

    /// <summary>Writes an atom when every octet is an <c>ASTRING-CHAR</c> and the value is not the word NIL, otherwise
    /// a string (RFC 9051 §9 <c>astring</c>).</summary>
    public static void WriteAString(IBufferWriter<byte> output, ReadOnlySpan<byte> value, bool utf8Allowed)
    {
        if (IsAtom(value, allowBracket: true) && !Ascii.EqualsIgnoreCase(value, Nil))
        {
            WriteAscii(output, value);
            return;
        }

        WriteString(output, value, utf8Allowed);
    }

    /// <summary>Writes <see cref="WriteAString(IBufferWriter{byte}, ReadOnlySpan{byte}, bool)"/> for a UTF-8 encoded <paramref name="value"/>.</summary>
    public static void WriteAString(IBufferWriter<byte> output, string value, bool utf8Allowed) =>
        WriteAString(output, Encoding.UTF8.GetBytes(value), utf8Allowed);

    /// <summary>Writes a synchronizing literal: <c>{n}</c>, CRLF, then the octets.</summary>
    public static void WriteLiteral(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(24);
        span[0] = (byte)'{';
        Utf8Formatter.TryFormat(value.Length, span[1..], out int digits);
        span[1 + digits] = (byte)'}';
        span[2 + digits] = (byte)'\r';
        span[3 + digits] = (byte)'\n';
        output.Advance(4 + digits);
        output.Write(value);
    }

    /// <summary>Writes octets as they are (protocol words, numbers, parentheses).</summary>
    public static void WriteAscii(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(value);
    }

    /// <summary>Writes a decimal number.</summary>
    public static void WriteNumber(IBufferWriter<byte> output, long value)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out int written);
        output.Advance(written);
    }

    /// <summary>Whether <paramref name="value"/> may be sent as a quoted string to this client.</summary>
    public static bool CanQuote(ReadOnlySpan<byte> value, bool utf8Allowed)
    {
        if (value.Length > MaxQuotedLength || value.IndexOfAny((byte)'\r', (byte)'\n', (byte)0) >= 0)
        {
            return false;
        }

        if (Ascii.IsValid(value))
        {
            return true;
        }

        // RFC 9051 §9: 8-bit octets in a quoted string must form valid UTF-8.
        return utf8Allowed && Utf8.IsValid(value);
    }

    /// <summary>Whether every octet is an <c>ATOM-CHAR</c> (or, with <paramref name="allowBracket"/>, an
    /// <c>ASTRING-CHAR</c>, which adds <c>]</c>) and the value is not empty.</summary>
    public static bool IsAtom(ReadOnlySpan<byte> value, bool allowBracket)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (byte b in value)
        {
            // RFC 9051 §9: atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials.
            bool special = b <= 0x20 || b >= 0x7F || b is (byte)'(' or (byte)')' or (byte)'{' or (byte)'%' or (byte)'*'
                or (byte)'"' or (byte)'\\' || (b == ']' && !allowBracket);
            if (special)
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteQuoted(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        var span = output.GetSpan((value.Length * 2) + 2);
        int at = 0;
        span[at++] = (byte)'"';
        foreach (byte b in value)
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                span[at++] = (byte)'\\';
            }

            span[at++] = b;
        }

        span[at++] = (byte)'"';
        output.Advance(at);
    }
}
