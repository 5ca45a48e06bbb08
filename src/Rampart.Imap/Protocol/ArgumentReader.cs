using System.Buffers.Text;
using System.Text;

namespace Rampart.Imap.Protocol;

/// <summary>
/// A cursor over one assembled command: the command line with each literal in its wire form
/// (<c>{N}</c> CRLF and the N octets) as the session read it. Every method either consumes a whole
/// syntactic element (RFC 9051 §9) or throws <see cref="ImapCommandException"/> (BAD) without side effects
/// the caller relies on.
/// </summary>
/// <remarks>Pure: no I/O and no store. The session has already bounded the line and literal sizes.</remarks>
internal sealed class ArgumentReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly byte[] _data;
    private readonly int _end;

    public ArgumentReader(byte[] data, int start = 0, int? end = null)
    {
        _data = data;
        Position = start;
        _end = end ?? data.Length;
    }

    /// <summary>Offset of the next unread octet.</summary>
    public int Position { get; set; }

    public bool AtEnd => Position >= _end;

    /// <summary>The unread octets.</summary>
    public ReadOnlySpan<byte> Remaining => _data.AsSpan(Position, _end - Position);

    public int Peek() => AtEnd ? -1 : _data[Position];

    public bool TryConsume(byte b)
    {
        if (!AtEnd && _data[Position] == b)
        {
            Position++;
            return true;
        }

        return false;
    }

    public void Expect(byte b, string what)
    {
        if (!TryConsume(b))
        {
            throw ImapCommandException.Syntax($"Expected {what}");
        }
    }

    public void Space() => Expect((byte)' ', "a space");

    public bool TrySpace() => TryConsume((byte)' ');

    /// <summary>Consumes an exact keyword (case-insensitive) when it is followed by a delimiter.</summary>
    public bool TryKeyword(ReadOnlySpan<byte> keyword)
    {
        var rest = Remaining;
        if (rest.Length < keyword.Length || !System.Text.Ascii.EqualsIgnoreCase(rest[..keyword.Length], keyword))
        {
            return false;
        }

        if (rest.Length > keyword.Length && IsAtomChar(rest[keyword.Length]))
        {
            return false;
        }

        Position += keyword.Length;
        return true;
    }

    public void RequireEnd()
    {
        if (!AtEnd)
        {
            throw ImapCommandException.Syntax("Unexpected characters at the end of the command");
        }
    }

    /// <summary>An atom (RFC 9051 <c>atom</c>), returned upper-case-preserving.</summary>
    public string Atom()
    {
        var start = Position;
        while (!AtEnd && IsAtomChar(_data[Position]))
        {
            Position++;
        }

        if (Position == start)
        {
            throw ImapCommandException.Syntax("Expected an atom");
        }

        return Encoding.ASCII.GetString(_data, start, Position - start);
    }

    /// <summary>A flag: <c>\Seen</c>-style system flag, <c>\*</c>, or a keyword atom.</summary>
    public string Flag()
    {
        if (TryConsume((byte)'\\'))
        {
            if (TryConsume((byte)'*'))
            {
                return "\\*";
            }

            return "\\" + Atom();
        }

        return Atom();
    }

    /// <summary>A number (RFC 9051 <c>number</c>, 32-bit unsigned).</summary>
    public uint Number()
    {
        var value = Number64();
        return value <= uint.MaxValue ? (uint)value : throw ImapCommandException.Syntax("Number out of range");
    }

    /// <summary>A <c>number64</c> (63-bit, RFC 9051 §9).</summary>
    public ulong Number64()
    {
        var rest = Remaining;
        var length = 0;
        while (length < rest.Length && rest[length] is >= (byte)'0' and <= (byte)'9')
        {
            length++;
        }

        if (length == 0 || length > 19 || !Utf8Parser.TryParse(rest[..length], out ulong value, out _) || value > long.MaxValue)
        {
            throw ImapCommandException.Syntax("Expected a number");
        }

        Position += length;
        return value;
    }

    public uint NzNumber()
    {
        var n = Number();
        return n != 0 ? n : throw ImapCommandException.Syntax("Zero is not allowed here");
    }

    /// <summary>An <c>astring</c> as raw octets.</summary>
    public byte[] AstringBytes()
    {
        var next = Peek();
        if (next is '"' or '{' or '~')
        {
            return StringBytes();
        }

        var start = Position;
        while (!AtEnd && (IsAtomChar(_data[Position]) || _data[Position] == ']'))
        {
            Position++;
        }

        if (Position == start)
        {
            throw ImapCommandException.Syntax("Expected a string");
        }

        return _data[start..Position];
    }

    public string Astring() => Decode(AstringBytes());

    /// <summary>A quoted string or literal as raw octets.</summary>
    public byte[] StringBytes()
    {
        if (TryConsume((byte)'"'))
        {
            var result = new List<byte>();
            while (true)
            {
                if (AtEnd)
                {
                    throw ImapCommandException.Syntax("Unterminated quoted string");
                }

                var b = _data[Position++];
                if (b == '"')
                {
                    return [.. result];
                }

                if (b is (byte)'\r' or (byte)'\n' or 0)
                {
                    throw ImapCommandException.Syntax("Bad character in quoted string");
                }

                if (b == '\\')
                {
                    if (AtEnd || _data[Position] is not ((byte)'"' or (byte)'\\'))
                    {
                        throw ImapCommandException.Syntax("Bad escape in quoted string");
                    }

                    b = _data[Position++];
                }

                result.Add(b);
            }
        }

        TryConsume((byte)'~');
        if (TryConsume((byte)'{'))
        {
            var length = Number64();
            TryConsume((byte)'+');
            Expect((byte)'}', "}");
            Expect((byte)'\r', "CRLF after a literal");
            Expect((byte)'\n', "CRLF after a literal");
            if ((ulong)(_end - Position) < length)
            {
                throw ImapCommandException.Syntax("Literal shorter than announced");
            }

            var bytes = _data[Position..(Position + (int)length)];
            Position += (int)length;
            return bytes;
        }

        throw ImapCommandException.Syntax("Expected a string");
    }

    public string String() => Decode(StringBytes());

    /// <summary>An <c>nstring</c>: NIL or a string.</summary>
    public string? NString() => TryKeyword("NIL"u8) ? null : String();

    /// <summary>A <c>sequence-set</c> with <c>*</c> and <c>$</c>, bounded by <see cref="SequenceSet.MaxRanges"/>.</summary>
    public SequenceSet SequenceSet()
    {
        if (TryConsume((byte)'$'))
        {
            return Protocol.SequenceSet.SavedResult;
        }

        var ranges = new List<(uint, uint)>();
        do
        {
            if (ranges.Count >= Protocol.SequenceSet.MaxRanges)
            {
                throw ImapCommandException.Syntax($"Sequence set has more than {Protocol.SequenceSet.MaxRanges} ranges");
            }

            var start = SequenceNumber();
            var end = start;
            if (TryConsume((byte)':'))
            {
                end = SequenceNumber();
            }

            ranges.Add((start, end));
        }
        while (TryConsume((byte)','));
        return Protocol.SequenceSet.Of(ranges);
    }

    /// <summary>A mailbox name: mUTF-7 for rev1 clients, UTF-8 once UTF8=ACCEPT or IMAP4rev2 is on; INBOX in any case is INBOX.</summary>
    public string Mailbox(bool utf8) => MailboxName.FromWire(AstringBytes(), utf8);

    public bool TryOpenList() => TryConsume((byte)'(');

    public bool TryCloseList() => TryConsume((byte)')');

    /// <summary>A parenthesized list or a single item: calls <paramref name="item"/> for each element.</summary>
    public void ListOrSingle(Action item)
    {
        if (TryOpenList())
        {
            if (TryCloseList())
            {
                return;
            }

            do
            {
                item();
            }
            while (TrySpace());
            Expect((byte)')', ")");
        }
        else
        {
            item();
        }
    }

    /// <summary>A parenthesized list (possibly empty).</summary>
    public void List(Action item)
    {
        Expect((byte)'(', "(");
        if (TryCloseList())
        {
            return;
        }

        do
        {
            item();
        }
        while (TrySpace());
        Expect((byte)')', ")");
    }

    public static string Decode(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw ImapCommandException.Syntax("Invalid UTF-8");
        }
    }

    /// <summary>RFC 9051 <c>ATOM-CHAR</c>: any CHAR except atom-specials; 8-bit octets are allowed as UTF-8 by rev2.</summary>
    public static bool IsAtomChar(byte b) =>
        b > 0x20 && b != 0x7f && b is not ((byte)'(' or (byte)')' or (byte)'{' or (byte)'%' or (byte)'*' or (byte)'"' or (byte)'\\' or (byte)']');

    private uint SequenceNumber()
    {
        if (TryConsume((byte)'*'))
        {
            return Protocol.SequenceSet.Star;
        }

        return NzNumber();
    }
}
