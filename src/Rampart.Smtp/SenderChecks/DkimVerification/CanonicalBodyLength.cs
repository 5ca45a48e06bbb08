namespace Rampart.Smtp.SenderChecks.DkimVerification;

/// <summary>A write-only stream that counts the octets of the body as DKIM canonicalizes it (RFC 6376 §3.4.3 simple,
/// §3.4.4 relaxed), without keeping them: what an <c>l=</c> body length count is compared with (§3.5, §8.2).</summary>
/// <remarks>The body is expected with CRLF line ends (MimeKit writes it so for verification). Simple: trailing empty
/// lines are ignored and an empty body counts as one CRLF. Relaxed: runs of spaces and tabs count as one space,
/// whitespace at a line's end is dropped, trailing empty lines are ignored, an empty body counts as nothing.</remarks>
internal sealed class CanonicalBodyLength : Stream
{
    private readonly bool relaxed;
    private long total;
    private long committed;
    private long line;
    private bool pendingSpace;
    private bool pendingCr;

    /// <param name="relaxed">True for the relaxed body algorithm, false for simple.</param>
    public CanonicalBodyLength(bool relaxed) => this.relaxed = relaxed;

    /// <summary>The canonical body length of everything written so far, as if the body ended here.</summary>
    public long BodyLength
    {
        get
        {
            var length = committed;
            if (line > 0 || pendingCr)
            {
                // A last line without CRLF gets one (§3.4.3, §3.4.4).
                length = total + line + (pendingCr ? 1 : 0) + 2;
            }

            return length == 0 && !relaxed ? 2 : length;
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        foreach (var b in buffer)
        {
            if (pendingCr)
            {
                pendingCr = false;
                if (b == (byte)'\n')
                {
                    EndLine();
                    continue;
                }

                // A CR that does not start a line break is an ordinary octet.
                Octet();
            }

            switch (b)
            {
                case (byte)'\r':
                    pendingCr = true;
                    break;
                case (byte)'\n':
                    // A bare LF ends a line as well; MimeKit does not write one, but hostile input must not confuse the count.
                    EndLine();
                    break;
                case (byte)' ' or (byte)'\t' when relaxed:
                    pendingSpace = true;
                    break;
                default:
                    Octet();
                    break;
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Octet()
    {
        if (pendingSpace)
        {
            // Relaxed: a run of whitespace inside a line is one space.
            line++;
            pendingSpace = false;
        }

        line++;
    }

    private void EndLine()
    {
        // Relaxed: whitespace at the end of a line is dropped.
        pendingSpace = false;
        total += line + 2;
        if (line > 0)
        {
            committed = total;
        }

        line = 0;
    }
}
