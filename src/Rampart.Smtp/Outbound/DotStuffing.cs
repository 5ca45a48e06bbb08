namespace Rampart.Smtp.Outbound;

/// <summary>Copies a message into the DATA stream with transparency (RFC 5321 §4.5.2): a line starting with "." gets
/// one more, a missing final CRLF is added, and the terminating <c>.CRLF</c> follows. Streamed in blocks.</summary>
public static class DotStuffing
{
    private static readonly byte[] Terminator = ".\r\n"u8.ToArray();
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();

    /// <summary>Writes <paramref name="prefix"/> then <paramref name="message"/> stuffed, then the terminator.</summary>
    public static async Task WriteAsync(Stream output, ReadOnlyMemory<byte> prefix, Stream message, CancellationToken cancellationToken)
    {
        var atLineStart = true;
        var lastByte = (byte)'\n';
        var block = new byte[64 * 1024];
        var stuffed = new byte[(block.Length * 2) + 2];

        async Task WriteStuffedAsync(ReadOnlyMemory<byte> input)
        {
            var span = input.Span;
            var length = 0;
            foreach (var b in span)
            {
                if (atLineStart && b == '.')
                {
                    stuffed[length++] = (byte)'.';
                }

                stuffed[length++] = b;
                atLineStart = b == '\n';
            }

            if (span.Length > 0)
            {
                lastByte = span[^1];
            }

            await output.WriteAsync(stuffed.AsMemory(0, length), cancellationToken);
        }

        for (var offset = 0; offset < prefix.Length; offset += block.Length)
        {
            await WriteStuffedAsync(prefix.Slice(offset, Math.Min(block.Length, prefix.Length - offset)));
        }

        int read;
        while ((read = await message.ReadAsync(block, cancellationToken)) > 0)
        {
            await WriteStuffedAsync(block.AsMemory(0, read));
        }

        if (lastByte != '\n')
        {
            await output.WriteAsync(LineEnd, cancellationToken);
        }

        await output.WriteAsync(Terminator, cancellationToken);
        await output.FlushAsync(cancellationToken);
    }
}
