using System.Buffers;
using Rampart.Pop3.Maildrop;
using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>Streams a stored message as a multi-line response (RETR, TOP): one chunk in memory at a time, and a
/// flush per chunk written so that a slow reader slows us down instead of filling memory.</summary>
internal static class MessageSender
{
    private const int ChunkSize = 64 * 1024;

    public static async ValueTask SendAsync(Pop3Session session, MaildropMessage message, int? bodyLines, string okText, CancellationToken cancellationToken)
    {
        var maildrop = session.Maildrop!;
        // Opened before the +OK: a message another client expunged is still an -ERR here.
        var stream = await maildrop.Store.OpenMessageAsync(maildrop.Inbox.Id, message.Summary, cancellationToken);
        await using (stream)
        {
            session.BeginMultiLine(okText);
            var encoder = new MessageEncoder(dotStuff: true, bodyLines);
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
            try
            {
                int read;
                long flushedAt = 0;
                while (!encoder.IsComplete && (read = await ReadAsync(stream, buffer, cancellationToken)) > 0)
                {
                    encoder.Encode(buffer.AsSpan(0, read), session.RawOutput);
                    // Flush once a chunk's worth is pending, so that a slow reader slows us down; a message that
                    // fits in one chunk goes out with its terminator in one write (one TLS record, one syscall).
                    if (encoder.Written - flushedAt >= ChunkSize)
                    {
                        flushedAt = encoder.Written;
                        await session.FlushAsync(cancellationToken);
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            encoder.Finish(session.RawOutput);
            await session.EndMultiLineAsync(cancellationToken);
        }
    }

    private static async ValueTask<int> ReadAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Part of the message is on the wire: an -ERR now would read as message text.
            throw new MultiLineAbortedException("The message could not be read to the end.", e);
        }
    }
}
