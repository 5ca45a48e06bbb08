namespace Rampart.Store.Mime;

/// <summary>
/// Counts, while a message streams in, the octets it has once every line ends in CRLF: what POP3 RETR sends before
/// byte-stuffing (RFC 1939 §5: LIST and STAT give that size). A bare LF counts as CRLF, a CR not followed by LF is
/// data, and a message whose last line has no line end gets one. The store keeps it at delivery so that LIST and
/// STAT never read a message body.
/// </summary>
public sealed class WireSizeCounter
{
    private bool _atLineStart = true;
    private bool _pendingCr;
    private long _written;

    /// <summary>The CRLF size of everything added so far, with the final line end a closing would add.</summary>
    public long Total => _written + (_pendingCr || !_atLineStart ? 2 : 0);

    /// <summary>The CRLF size of a whole message.</summary>
    public static long Count(ReadOnlySpan<byte> message)
    {
        var counter = new WireSizeCounter();
        counter.Add(message);
        return counter.Total;
    }

    /// <summary>Adds the next chunk of the message.</summary>
    public void Add(ReadOnlySpan<byte> chunk)
    {
        var i = 0;
        if (_pendingCr && chunk.Length > 0)
        {
            // A CR ended the previous chunk: a line end only if this chunk starts with LF.
            _pendingCr = false;
            if (chunk[0] == (byte)'\n')
            {
                EndLine();
                i = 1;
            }
            else
            {
                Content(1);
            }
        }

        while (i < chunk.Length)
        {
            var rest = chunk[i..];
            var stop = rest.IndexOfAny((byte)'\r', (byte)'\n');
            if (stop < 0)
            {
                Content(rest.Length);
                return;
            }

            if (stop > 0)
            {
                Content(stop);
            }

            if (rest[stop] == (byte)'\n')
            {
                EndLine();
                i += stop + 1;
            }
            else if (stop + 1 == rest.Length)
            {
                _pendingCr = true;
                return;
            }
            else if (rest[stop + 1] == (byte)'\n')
            {
                EndLine();
                i += stop + 2;
            }
            else
            {
                Content(1);
                i += stop + 1;
            }
        }
    }

    private void Content(int length)
    {
        _written += length;
        _atLineStart = false;
    }

    private void EndLine()
    {
        _written += 2;
        _atLineStart = true;
    }
}
