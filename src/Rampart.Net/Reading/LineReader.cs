using System.Buffers;

namespace Rampart.Net.Reading;

/// <summary>
/// A resumable, synchronous splitter of CRLF-terminated lines, with IMAP literal detection at line ends.
/// It does no I/O: feed it what the transport has, and it answers "need more data", a line, or an error.
/// </summary>
/// <remarks>
/// RFC 9051 §2.2 (lines end in CRLF), §4.3 (literals), RFC 7888 (LITERAL+/-), RFC 3516 (literal8).
/// Resuming: after <see cref="LineReadStatus.NeedMoreData"/> the next call must pass a buffer that starts at the
/// same position (the caller did <c>AdvanceTo(buffer.Start, buffer.End)</c>); the reader remembers how far it
/// has scanned so a long line is scanned once, not once per packet.
/// </remarks>
public sealed class LineReader
{
    private long _scanned;
    private int _literalsInCommand;

    /// <summary>Creates a reader with the given limits (shared, so a session can change them at login).</summary>
    public LineReader(LineReaderLimits? limits = null) => Limits = limits ?? new LineReaderLimits();

    /// <summary>The limits in force; read on every call.</summary>
    public LineReaderLimits Limits { get; }

    /// <summary>Literals announced so far by the command being read.</summary>
    public int LiteralsInCommand => _literalsInCommand;

    /// <summary>
    /// Looks for the next line in <paramref name="buffer"/>. On <see cref="LineReadStatus.Line"/> and the literal
    /// statuses, <paramref name="buffer"/> is advanced past the CRLF and <paramref name="line"/> holds the line
    /// without it; on every other status <paramref name="buffer"/> is unchanged.
    /// </summary>
    /// <param name="buffer">Unconsumed input.</param>
    /// <param name="line">The line (valid while the caller keeps the buffer).</param>
    /// <param name="literal">The literal announced at the end of the line, when the status is
    /// <see cref="LineReadStatus.Line"/> and one is; otherwise null.</param>
    public LineReadStatus TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line, out LiteralHeader? literal)
    {
        line = default;
        literal = null;
        var maxLine = Limits.MaxLineLength;
        var reader = new SequenceReader<byte>(buffer);
        reader.Advance(_scanned);
        while (reader.TryAdvanceToAny("\0\r\n"u8, advancePastDelimiter: false))
        {
            if (reader.Consumed > maxLine)
            {
                return LineTooLong();
            }

            reader.TryPeek(out var b);
            if (b == 0)
            {
                _scanned = 0;
                return LineReadStatus.NulByte;
            }

            var end = reader.Consumed;
            if (b == (byte)'\n')
            {
                if (!Limits.AllowBareLineFeed)
                {
                    _scanned = 0;
                    return LineReadStatus.BadLineEnding;
                }

                return Complete(ref buffer, end, end + 1, out line, out literal);
            }

            // CR: it must be followed by LF.
            if (!reader.TryPeek(1, out var next))
            {
                // The LF may be in the next packet: come back to this CR.
                _scanned = end;
                return NeedMore(buffer.Length);
            }

            if (next != (byte)'\n')
            {
                _scanned = 0;
                return LineReadStatus.BadLineEnding;
            }

            return Complete(ref buffer, end, end + 2, out line, out literal);
        }

        _scanned = buffer.Length;
        return NeedMore(buffer.Length);

        LineReadStatus NeedMore(long buffered)
        {
            // Report the overflow as soon as it exists, so the caller never buffers past limit + CRLF.
            return buffered > maxLine + 2 ? LineTooLong() : LineReadStatus.NeedMoreData;
        }
    }

    /// <summary>
    /// Consumes input up to and including the next LF, for a caller that answered an error and wants to go on
    /// with the next line. Memory stays flat: everything examined is consumed.
    /// </summary>
    /// <returns>True when the line end was found; false when <paramref name="buffer"/> was consumed without one.</returns>
    public bool TrySkipLine(ref ReadOnlySequence<byte> buffer)
    {
        _scanned = 0;
        _literalsInCommand = 0;
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            buffer = buffer.Slice(buffer.End);
            return false;
        }

        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        return true;
    }

    /// <summary>Forgets the literal count and scan position, e.g. after a command was abandoned.</summary>
    public void Reset()
    {
        _scanned = 0;
        _literalsInCommand = 0;
    }

    private LineReadStatus LineTooLong()
    {
        _scanned = 0;
        return LineReadStatus.LineTooLong;
    }

    private LineReadStatus Complete(ref ReadOnlySequence<byte> buffer, long lineEnd, long next, out ReadOnlySequence<byte> line, out LiteralHeader? literal)
    {
        _scanned = 0;
        literal = null;
        if (lineEnd > Limits.MaxLineLength)
        {
            line = default;
            return LineReadStatus.LineTooLong;
        }

        line = buffer.Slice(0, lineEnd);
        buffer = buffer.Slice(next);
        if (!Limits.DetectLiterals)
        {
            return LineReadStatus.Line;
        }

        var status = LiteralSyntax.Parse(line, Limits.MaxLiteralLength, out var header);
        switch (status)
        {
            case LiteralSyntax.Result.None:
                // The command ends with this line.
                _literalsInCommand = 0;
                return LineReadStatus.Line;
            case LiteralSyntax.Result.Malformed:
                _literalsInCommand = 0;
                return LineReadStatus.BadLiteral;
            case LiteralSyntax.Result.TooLarge:
                _literalsInCommand = 0;
                literal = header;
                return LineReadStatus.LiteralTooLarge;
            default:
                literal = header;
                if (++_literalsInCommand > Limits.MaxLiteralsPerCommand)
                {
                    _literalsInCommand = 0;
                    return LineReadStatus.TooManyLiterals;
                }

                return LineReadStatus.Line;
        }
    }
}
