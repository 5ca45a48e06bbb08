using System.Buffers;

namespace Rampart.Imap.Rendering;

/// <summary>Copies a counted run of octets from a stream through a pooled buffer.</summary>
internal static class StreamRange
{
    /// <summary>Size of the pooled copy buffer: 64 KiB.</summary>
    public const int BufferSize = 64 * 1024;

    /// <summary>Copies <paramref name="count"/> octets from the source's current position. A source that ends
    /// early is a store fault (the metadata promised those octets), reported as <see cref="EndOfStreamException"/>
    /// rather than a short literal that would desynchronize the client.</summary>
    public static async Task CopyAsync(Stream source, Stream destination, long count, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(BufferSize, Math.Max(count, 1)));
        try
        {
            while (count > 0)
            {
                int read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException("The message ended before the octets its metadata describes.");
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
