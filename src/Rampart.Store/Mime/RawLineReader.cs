namespace Rampart.Store.Mime;

/// <summary>Reads a raw message line by line, reporting each line's octet offset, and keeping at most a bounded
/// prefix of each line: a 50 MB line costs one buffer, not 50 MB.</summary>
/// <remarks>Only LF ends a line (a bare CR is content), so CRLF and bare-LF messages are both read as they are.</remarks>
internal sealed class RawLineReader
{
    private readonly Stream stream;
    private readonly byte[] buffer = new byte[64 * 1024];
    private readonly byte[] kept;
    private int position;
    private int length;
    private long bufferOffset;
    private bool endOfStream;

    public RawLineReader(Stream stream, long startOffset, int maxKeptLineBytes)
    {
        this.stream = stream;
        bufferOffset = startOffset;
        kept = new byte[maxKeptLineBytes];
    }

    /// <summary>Offset (from the start of the message) of the next line.</summary>
    public long Offset => bufferOffset + position;

    /// <summary>Number of lines read so far.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The kept prefix of the current line, without its terminator.</summary>
    public ReadOnlySpan<byte> Line => kept.AsSpan(0, KeptLength);

    /// <summary>Length of the kept prefix.</summary>
    public int KeptLength { get; private set; }

    /// <summary>Whether the current line was longer than the kept prefix.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Offset of the current line.</summary>
    public long LineOffset { get; private set; }

    /// <summary>Length of the current line including its terminator.</summary>
    public long LineLength { get; private set; }

    /// <summary>Octets of the current line's terminator: 2 for CRLF, 1 for LF, 0 at the end of the stream.</summary>
    public int TerminatorLength { get; private set; }

    /// <summary>Reads the next line; false at the end of the stream.</summary>
    public bool ReadLine()
    {
        LineOffset = Offset;
        KeptLength = 0;
        Truncated = false;
        long total = 0;
        bool lastWasCr = false;
        while (true)
        {
            if (position == length && !Fill())
            {
                if (total == 0)
                {
                    return false;
                }

                // The last line has no terminator.
                LineLength = total;
                TerminatorLength = 0;
                LineNumber++;
                return true;
            }

            var available = buffer.AsSpan(position, length - position);
            int lf = available.IndexOf((byte)'\n');
            var content = lf >= 0 ? available[..lf] : available;
            Keep(content);
            if (content.Length > 0)
            {
                lastWasCr = content[^1] == (byte)'\r';
            }

            total += content.Length;
            position += content.Length;
            if (lf < 0)
            {
                continue;
            }

            position++;
            total++;
            TerminatorLength = lastWasCr ? 2 : 1;
            if (lastWasCr && !Truncated && KeptLength > 0)
            {
                KeptLength--;
            }

            LineLength = total;
            LineNumber++;
            return true;
        }
    }

    private void Keep(ReadOnlySpan<byte> content)
    {
        int room = kept.Length - KeptLength;
        if (content.Length > room)
        {
            content[..room].CopyTo(kept.AsSpan(KeptLength));
            KeptLength += room;
            Truncated = true;
        }
        else
        {
            content.CopyTo(kept.AsSpan(KeptLength));
            KeptLength += content.Length;
        }
    }

    private bool Fill()
    {
        if (endOfStream)
        {
            return false;
        }

        bufferOffset += length;
        position = 0;
        length = stream.Read(buffer, 0, buffer.Length);
        if (length == 0)
        {
            endOfStream = true;
            return false;
        }

        return true;
    }
}
