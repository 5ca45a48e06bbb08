using System.Buffers;

namespace Rampart.Pop3.Protocol;

/// <summary>
/// Turns a stored message, fed in chunks, into the body of a RETR or TOP response: every line ends in CRLF,
/// lines that start with "." are dot-stuffed, and TOP stops after the header and N body lines. Pure: no I/O.
/// </summary>
/// <remarks>
/// <para>RFC 1939 §3: multi-line responses are CRLF-terminated lines, a line that begins with the termination
/// octet is byte-stuffed, and the response ends with ".CRLF" (written by the caller). The store keeps a message
/// byte-exact, and one delivered from a Unix file may have bare LF line ends: each becomes CRLF on the wire. A
/// CR not followed by LF is data and is sent as is. A message that does not end with a line end gets a CRLF, so
/// that the terminator is on a line of its own.</para>
/// <para>The same encoder, with stuffing off and no line limit, counts the size LIST and STAT report (RFC 1939
/// §5: the size of the message as sent, CRLF line ends, before byte-stuffing and without the terminator), so the
/// size and what RETR sends can never disagree.</para>
/// </remarks>
public sealed class MessageEncoder
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly byte[] Stuffing = "."u8.ToArray();
    private readonly bool _dotStuff;
    private readonly int _bodyLineLimit;
    private bool _atLineStart = true;
    private bool _pendingCr;
    private bool _inBody;
    private int _bodyLines;

    /// <summary>Creates an encoder.</summary>
    /// <param name="dotStuff">Byte-stuff lines that start with "." (true on the wire, false to count sizes).</param>
    /// <param name="bodyLineLimit">For TOP: body lines to send after the header; null sends everything.</param>
    public MessageEncoder(bool dotStuff = true, int? bodyLineLimit = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bodyLineLimit ?? 0);
        _dotStuff = dotStuff;
        _bodyLineLimit = bodyLineLimit ?? -1;
    }

    /// <summary>True once a TOP line limit was reached: the rest of the message is not needed.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Octets written so far.</summary>
    public long Written { get; private set; }

    /// <summary>The wire size of a whole message given as one span (tests and small messages).</summary>
    public static long CountWireSize(ReadOnlySpan<byte> message)
    {
        var encoder = new MessageEncoder(dotStuff: false);
        encoder.Encode(message, null);
        encoder.Finish(null);
        return encoder.Written;
    }

    /// <summary>Encodes the next chunk of the stored message into <paramref name="output"/>, or only counts when it is null.</summary>
    public void Encode(ReadOnlySpan<byte> input, IBufferWriter<byte>? output)
    {
        var i = 0;
        if (_pendingCr && input.Length > 0)
        {
            // A CR ended the previous chunk: it is a line end only if this chunk starts with LF.
            _pendingCr = false;
            if (input[0] == (byte)'\n')
            {
                EndLine(output);
                i = 1;
            }
            else
            {
                Content("\r"u8, output);
            }
        }

        while (i < input.Length && !IsComplete)
        {
            var rest = input[i..];
            var stop = rest.IndexOfAny((byte)'\r', (byte)'\n');
            if (stop < 0)
            {
                Content(rest, output);
                return;
            }

            if (stop > 0)
            {
                Content(rest[..stop], output);
            }

            if (rest[stop] == (byte)'\n')
            {
                EndLine(output);
                i += stop + 1;
            }
            else if (stop + 1 == rest.Length)
            {
                _pendingCr = true;
                return;
            }
            else if (rest[stop + 1] == (byte)'\n')
            {
                EndLine(output);
                i += stop + 2;
            }
            else
            {
                Content("\r"u8, output);
                i += stop + 1;
            }
        }
    }

    /// <summary>Ends the message: a final CR or an unterminated last line gets its CRLF.</summary>
    public void Finish(IBufferWriter<byte>? output)
    {
        if (IsComplete)
        {
            return;
        }

        if (_pendingCr)
        {
            _pendingCr = false;
            EndLine(output);
        }
        else if (!_atLineStart)
        {
            EndLine(output);
        }
    }

    private void Content(ReadOnlySpan<byte> bytes, IBufferWriter<byte>? output)
    {
        if (_atLineStart)
        {
            _atLineStart = false;
            if (_dotStuff && bytes[0] == (byte)'.')
            {
                Write(Stuffing, output);
            }
        }

        Write(bytes, output);
    }

    private void EndLine(IBufferWriter<byte>? output)
    {
        var wasEmpty = _atLineStart;
        Write(Crlf, output);
        _atLineStart = true;
        if (_inBody)
        {
            _bodyLines++;
        }
        else if (wasEmpty)
        {
            // RFC 1939 §7 TOP: the header ends at the first empty line, which is sent with it.
            _inBody = true;
        }

        if (_inBody && _bodyLineLimit >= 0 && _bodyLines >= _bodyLineLimit)
        {
            IsComplete = true;
        }
    }

    private void Write(ReadOnlySpan<byte> bytes, IBufferWriter<byte>? output)
    {
        Written += bytes.Length;
        output?.Write(bytes);
    }
}
