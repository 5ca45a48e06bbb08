using System.Buffers;
using Rampart.Fuzz.Support;
using Rampart.Pop3.Protocol;

namespace Rampart.Fuzz.Targets;

/// <summary>
/// Feeds a stored message (bytes that arrived from the network through SMTP, LMTP or APPEND) through
/// <see cref="MessageEncoder"/>, the RETR/TOP encoder, whole and in chunks.
/// </summary>
/// <remarks>
/// <para>Input: one option octet (bit 7 makes it TOP, bits 0–3 its line count; bits 4–6 the chunk size 1–8), then the
/// message.</para>
/// <para>Checked promises (RFC 1939 §3): the output never holds a line that is a lone "." (which would end the response
/// early and let a message smuggle protocol lines), every LF is preceded by CR, the output ends with CRLF, the
/// result does not depend on chunking, <see cref="MessageEncoder.Written"/> counts what was written, and the size LIST
/// reports (<see cref="MessageEncoder.CountWireSize"/>) equals what RETR sends before stuffing.</para>
/// </remarks>
internal sealed class Pop3MessageTarget : IFuzzTarget
{
    public string Name => "pop3-message";

    public string Summary => "Rampart.Pop3 MessageEncoder (RETR/TOP dot-stuffing, CRLF) over stored message bytes";

    public void Run(ReadOnlySpan<byte> input)
    {
        var options = FuzzInput.TakeOptions(input, out var message);
        int? top = (options & 0x80) != 0 ? options & 0x0F : null;
        var chunk = 1 + ((options >> 4) & 0x07);

        var whole = Encode(message, dotStuff: true, top, message.Length + 1);
        var chunked = Encode(message, dotStuff: true, top, chunk);
        InvariantViolationException.Check(whole.AsSpan().SequenceEqual(chunked), "The encoding depends on chunking.");
        CheckWire(whole);

        if (top is null)
        {
            var unstuffed = Encode(message, dotStuff: false, null, chunk);
            InvariantViolationException.Check(MessageEncoder.CountWireSize(message) == unstuffed.Length, "The LIST size differs from the octets RETR sends.");
        }
    }

    private static byte[] Encode(ReadOnlySpan<byte> message, bool dotStuff, int? top, int chunk)
    {
        var encoder = new MessageEncoder(dotStuff, top);
        var output = new ArrayBufferWriter<byte>();
        for (var at = 0; at < message.Length && !encoder.IsComplete; at += chunk)
        {
            encoder.Encode(message[at..Math.Min(at + chunk, message.Length)], output);
        }

        encoder.Finish(output);
        InvariantViolationException.Check(encoder.Written == output.WrittenCount, "Written differs from the octets written.");
        return output.WrittenSpan.ToArray();
    }

    private static void CheckWire(ReadOnlySpan<byte> wire)
    {
        InvariantViolationException.Check(wire.IsEmpty || wire.EndsWith("\r\n"u8), "The output does not end with CRLF.");
        var lineStart = 0;
        for (var i = 0; i < wire.Length; i++)
        {
            if (wire[i] != (byte)'\n')
            {
                continue;
            }

            InvariantViolationException.Check(i > 0 && wire[i - 1] == (byte)'\r', "A bare LF in the output.");
            InvariantViolationException.Check(!wire[lineStart..(i - 1)].SequenceEqual("."u8), "A line that is a lone '.' (the terminator) in the output.");
            lineStart = i + 1;
        }
    }
}
