namespace Rampart.Smtp.Protocol;

/// <summary>
/// The streaming decoder of DATA content: removes dot-stuffing, finds the end <c>CRLF.CRLF</c>, and checks line
/// ends, line length and size while the bytes pass through. It does no I/O and holds no more than one byte of state.
/// </summary>
/// <remarks>
/// RFC 5321 §4.5.2 (transparency: a leading dot is removed), §4.1.1.4 (the end of mail data is
/// <c>CRLF . CRLF</c>, and only that), §2.3.8 (bare CR and LF are not line ends). The end is recognised only after
/// a real CRLF: <c>LF . LF</c> or <c>LF . CRLF</c> never ends the data, so a message cannot hide a second one behind
/// a line end another server reads differently (SMTP smuggling). After the first error the decoder writes nothing
/// more but keeps looking for the end, so the session stays in step with the client and answers once.
/// </remarks>
public sealed class DataDecoder
{
    private readonly long _maxSize;
    private readonly int _maxLineLength;
    private State _state = State.LineStart;
    private int _lineLength;

    /// <param name="maxSize">Largest decoded message in octets.</param>
    /// <param name="maxLineLength">Longest line in octets, CRLF included.</param>
    public DataDecoder(long maxSize, int maxLineLength)
    {
        _maxSize = maxSize;
        _maxLineLength = maxLineLength;
    }

    private enum State
    {
        LineStart,
        Middle,
        Cr,
        Dot,
        DotCr,
        Done,
    }

    /// <summary>True once <c>CRLF.CRLF</c> was read; the bytes after it belong to the next command.</summary>
    public bool IsComplete => _state == State.Done;

    /// <summary>The first problem found, or <see cref="DataError.None"/>.</summary>
    public DataError Error { get; private set; }

    /// <summary>Decoded octets written so far.</summary>
    public long Size { get; private set; }

    /// <summary>The space <see cref="Decode"/> may need in <c>output</c> for <paramref name="inputLength"/> input octets.</summary>
    public static int OutputSizeFor(int inputLength) => inputLength + 2;

    /// <summary>Decodes <paramref name="input"/> into <paramref name="output"/> until the end of the data or the input.</summary>
    /// <param name="input">Bytes received.</param>
    /// <param name="output">At least <see cref="OutputSizeFor"/>(input.Length) octets.</param>
    /// <param name="consumed">How many input octets were used (fewer than all only when the end was found).</param>
    /// <returns>How many octets were written to <paramref name="output"/>.</returns>
    public int Decode(ReadOnlySpan<byte> input, Span<byte> output, out int consumed)
    {
        var written = 0;
        var i = 0;
        while (i < input.Length && _state != State.Done)
        {
            var b = input[i];
            switch (_state)
            {
                case State.Middle:
                    var rest = input[i..];
                    var stop = rest.IndexOfAny((byte)'\r', (byte)'\n');
                    var run = stop < 0 ? rest.Length : stop;
                    if (run > 0)
                    {
                        CountLine(run);
                        Emit(rest[..run], output, ref written);
                        i += run;
                        continue;
                    }

                    CountLine(1);
                    i++;
                    if (b == (byte)'\r')
                    {
                        _state = State.Cr;
                    }
                    else
                    {
                        Fail(DataError.BareLineFeed);
                    }

                    continue;
                case State.LineStart:
                    if (b == (byte)'.')
                    {
                        CountLine(1);
                        i++;
                        _state = State.Dot;
                        continue;
                    }

                    _state = State.Middle;
                    continue;
                case State.Cr:
                    if (b == (byte)'\n')
                    {
                        CountLine(1);
                        i++;
                        Emit("\r\n"u8, output, ref written);
                        _lineLength = 0;
                        _state = State.LineStart;
                        continue;
                    }

                    // A CR alone; the byte after it is read again as ordinary text.
                    Fail(DataError.BareCarriageReturn);
                    _state = State.Middle;
                    continue;
                case State.Dot:
                    if (b == (byte)'\r')
                    {
                        CountLine(1);
                        i++;
                        _state = State.DotCr;
                        continue;
                    }

                    // RFC 5321 §4.5.2: the leading dot of a line with more on it is dropped.
                    _state = State.Middle;
                    continue;
                case State.DotCr:
                    if (b == (byte)'\n')
                    {
                        i++;
                        _state = State.Done;
                        continue;
                    }

                    Fail(DataError.BareCarriageReturn);
                    _state = State.Middle;
                    continue;
            }
        }

        consumed = i;
        return written;
    }

    private void CountLine(int octets)
    {
        _lineLength += octets;
        if (_lineLength > _maxLineLength)
        {
            Fail(DataError.LineTooLong);
        }
    }

    private void Emit(ReadOnlySpan<byte> bytes, Span<byte> output, ref int written)
    {
        if (Error != DataError.None)
        {
            return;
        }

        if (Size + bytes.Length > _maxSize)
        {
            Fail(DataError.TooBig);
            return;
        }

        bytes.CopyTo(output[written..]);
        written += bytes.Length;
        Size += bytes.Length;
    }

    private void Fail(DataError error)
    {
        if (Error == DataError.None)
        {
            Error = error;
        }
    }
}
