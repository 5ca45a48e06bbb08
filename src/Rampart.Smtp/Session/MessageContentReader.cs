using System.Buffers;
using Rampart.Net.Reading;
using Rampart.Smtp.Protocol;

namespace Rampart.Smtp.Session;

/// <summary>
/// Reads message content from the session's <see cref="ProtocolReader"/>: DATA through a <see cref="DataDecoder"/>
/// (RFC 5321 §4.5.2 dot-unstuffing, bare CR/LF and size checks) and BDAT chunks of an exact length (RFC 3030 §2), one
/// network read at a time, so that no message is ever held whole.
/// </summary>
internal static class MessageContentReader
{
    /// <summary>Octets decoded per step: the output buffer is sized for this much input.</summary>
    private const int DecodeStep = 16 * 1024;

    /// <summary>Feeds DATA content through <paramref name="decoder"/> into <paramref name="destination"/> (or nowhere)
    /// until the decoder finds the end. False when the client left first.</summary>
    public static async ValueTask<bool> ReadDataAsync(this ProtocolReader input, DataDecoder decoder, Stream? destination, CancellationToken cancellationToken)
    {
        var output = ArrayPool<byte>.Shared.Rent(DataDecoder.OutputSizeFor(DecodeStep));
        try
        {
            while (!decoder.IsComplete)
            {
                var buffer = await input.ReadBytesAsync(cancellationToken);
                if (buffer.IsEmpty)
                {
                    return false;
                }

                var used = 0L;
                foreach (var segment in buffer)
                {
                    var offset = 0;
                    while (offset < segment.Length && !decoder.IsComplete)
                    {
                        var take = Math.Min(segment.Length - offset, DecodeStep);
                        var written = decoder.Decode(segment.Span.Slice(offset, take), output, out var consumed);
                        used += consumed;
                        offset += consumed;
                        if (written > 0 && destination is not null && decoder.Error == DataError.None)
                        {
                            await destination.WriteAsync(output.AsMemory(0, written), cancellationToken);
                        }
                    }

                    if (decoder.IsComplete)
                    {
                        break;
                    }
                }

                // What follows the final dot stays in the reader: the client's next (pipelined) command.
                input.Consume(used);
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    /// <summary>Reads exactly <paramref name="length"/> octets (a BDAT chunk), passing them through
    /// <paramref name="inspector"/> and, while it finds nothing wrong, to <paramref name="destination"/>.
    /// False when the client left first.</summary>
    public static async ValueTask<bool> ReadChunkAsync(this ProtocolReader input, long length, ChunkInspector inspector, Stream? destination, CancellationToken cancellationToken)
    {
        while (length > 0)
        {
            var buffer = await input.ReadBytesAsync(cancellationToken);
            if (buffer.IsEmpty)
            {
                return false;
            }

            var chunk = buffer.Slice(0, Math.Min(length, buffer.Length));
            foreach (var segment in chunk)
            {
                if (inspector.Inspect(segment.Span) && destination is not null)
                {
                    await destination.WriteAsync(segment, cancellationToken);
                }
            }

            length -= chunk.Length;
            input.Consume(chunk.Length);
        }

        return true;
    }
}
