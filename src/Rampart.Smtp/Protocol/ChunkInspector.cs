namespace Rampart.Smtp.Protocol;

/// <summary>Checks BDAT chunks (RFC 3030 §2) as they pass: size always, and for a text body the CRLF rule and the
/// line length across chunk boundaries. <c>BODY=BINARYMIME</c> content is octets, with no line rules.</summary>
public sealed class ChunkInspector
{
    private readonly long _maxSize;
    private readonly int _maxLineLength;
    private readonly bool _binary;
    private bool _afterCr;
    private int _lineLength;

    /// <param name="maxSize">Largest message in octets.</param>
    /// <param name="maxLineLength">Longest line, CRLF included (text bodies only).</param>
    /// <param name="binary">True for <c>BODY=BINARYMIME</c> (RFC 3030 §3).</param>
    public ChunkInspector(long maxSize, int maxLineLength, bool binary)
    {
        _maxSize = maxSize;
        _maxLineLength = maxLineLength;
        _binary = binary;
    }

    /// <summary>The first problem found, or <see cref="DataError.None"/>.</summary>
    public DataError Error { get; private set; }

    /// <summary>Octets received so far.</summary>
    public long Size { get; private set; }

    /// <summary>Looks at the next bytes of the message. Returns false once an error is known (stop storing).</summary>
    public bool Inspect(ReadOnlySpan<byte> bytes)
    {
        Size += bytes.Length;
        if (Size > _maxSize)
        {
            Fail(DataError.TooBig);
        }

        if (_binary || Error != DataError.None)
        {
            return Error == DataError.None;
        }

        foreach (var b in bytes)
        {
            if (_afterCr && b != (byte)'\n')
            {
                Fail(DataError.BareCarriageReturn);
            }
            else if (!_afterCr && b == (byte)'\n')
            {
                Fail(DataError.BareLineFeed);
            }

            _afterCr = b == (byte)'\r';
            if (b == (byte)'\n')
            {
                _lineLength = 0;
            }
            else if (++_lineLength > _maxLineLength - 1)
            {
                Fail(DataError.LineTooLong);
            }
        }

        return Error == DataError.None;
    }

    /// <summary>Called after the LAST chunk: a message ending in a lone CR is refused.</summary>
    public void Finish()
    {
        if (_afterCr && !_binary)
        {
            Fail(DataError.BareCarriageReturn);
        }
    }

    private void Fail(DataError error)
    {
        if (Error == DataError.None)
        {
            Error = error;
        }
    }
}
