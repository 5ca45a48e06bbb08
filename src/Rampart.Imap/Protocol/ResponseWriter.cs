using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Rampart.Imap.Protocol;

/// <summary>
/// Writes response syntax (RFC 9051 §7) into a buffer: atoms, numbers, strings as quoted strings or literals
/// as their content requires, and whole status lines. Pure: the session flushes the buffer.
/// </summary>
internal sealed class ResponseWriter
{
    private readonly IBufferWriter<byte> _output;

    public ResponseWriter(IBufferWriter<byte> output) => _output = output;

    public IBufferWriter<byte> Output => _output;

    public ResponseWriter Raw(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        return this;
    }

    /// <summary>Protocol text we compose ourselves (keywords, numbers, codes); CR and LF are dropped so that no
    /// value can ever end a line early.</summary>
    public ResponseWriter Ascii(string text)
    {
        var span = _output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var written = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is '\r' or '\n' or 0)
            {
                continue;
            }

            written += rune.EncodeToUtf8(span[written..]);
        }

        _output.Advance(written);
        return this;
    }

    public ResponseWriter Number(ulong value)
    {
        var span = _output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        _output.Advance(written);
        return this;
    }

    public ResponseWriter Space() => Raw(" "u8);

    public ResponseWriter Line() => Raw("\r\n"u8);

    /// <summary>A string as a quoted string when it can be one, else as a literal. Octets above 0x7F go in a
    /// quoted string only when the client accepts UTF-8 (RFC 9051 §4.3, RFC 6855).</summary>
    public ResponseWriter String(string value, bool utf8 = true)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return String(bytes, utf8);
    }

    public ResponseWriter String(ReadOnlySpan<byte> bytes, bool utf8 = true)
    {
        var quotable = bytes.Length < 1024;
        foreach (var b in bytes)
        {
            if (b is (byte)'\r' or (byte)'\n' or 0 || (b > 0x7f && !utf8))
            {
                quotable = false;
                break;
            }
        }

        if (quotable)
        {
            Raw("\""u8);
            foreach (var b in bytes)
            {
                if (b is (byte)'"' or (byte)'\\')
                {
                    Raw("\\"u8);
                }

                _output.GetSpan(1)[0] = b;
                _output.Advance(1);
            }

            return Raw("\""u8);
        }

        return LiteralHeader(bytes.Length).Raw(bytes);
    }

    /// <summary><c>{N}</c> CRLF; the caller writes the N octets.</summary>
    public ResponseWriter LiteralHeader(long length) => Raw("{"u8).Number((ulong)length).Raw("}\r\n"u8);

    public ResponseWriter NString(string? value, bool utf8 = true) => value is null ? Raw("NIL"u8) : String(value, utf8);

    /// <summary>A mailbox name in the client's encoding.</summary>
    public ResponseWriter Mailbox(string name, bool utf8) => String(MailboxName.ToWire(name, utf8), utf8);

    /// <summary><c>* text</c> CRLF.</summary>
    public ResponseWriter Untagged(string text) => Raw("* "u8).Ascii(text).Line();

    /// <summary>A tagged or untagged status line: <c>tag STATUS [CODE] text</c>.</summary>
    public ResponseWriter Status(string tag, string status, string? code, string text)
    {
        Ascii(tag).Space().Ascii(status).Space();
        if (code is not null)
        {
            Raw("["u8).Ascii(code).Raw("] "u8);
        }

        return Ascii(text).Line();
    }
}
