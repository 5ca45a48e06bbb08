using System.Buffers;
using Rampart.Pop3.Maildrop;
using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>Streams a stored message as a multi-line response (RETR, TOP): one chunk in memory at a time, and a
/// flush per chunk written so that a slow reader slows us down instead of filling memory.</summary>
/// <remarks>A message of at most one chunk (most mail) is read whole before the <c>+OK</c> and goes out with its
/// status line and terminator in one write: one TLS record and one send per RETR, where writing line by line into
/// the connection's small buffer segments would cost one of each per segment.</remarks>
internal static class MessageSender
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>Room for the status line around a message: "+OK ", the text, CRLF, and the ".CRLF" terminator.</summary>
    private const int ReplyOverhead = 64;

    public static async ValueTask SendAsync(Pop3Session session, MaildropMessage message, int? bodyLines, string okText, CancellationToken cancellationToken)
    {
        var maildrop = session.Maildrop!;
        // Opened before the +OK: a message another client expunged is still an -ERR here.
        var stream = await maildrop.Store.OpenMessageAsync(maildrop.Inbox.Id, message.Summary, cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            if (message.Summary.Size <= ChunkSize)
            {
                // Closed before the reply is flushed: nothing to wait for on a file opened for reading.
                int length;
                using (stream)
                {
                    length = ReadWhole(stream, buffer, (int)message.Summary.Size);
                }

                await SendWholeAsync(session, buffer.AsSpan(0, length), bodyLines, okText, cancellationToken);
            }
            else
            {
                await using (stream)
                {
                    await SendChunkedAsync(session, stream, buffer, bodyLines, okText, cancellationToken);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads up to <paramref name="size"/> octets (the stored size) into <paramref name="buffer"/>.</summary>
    private static int ReadWhole(Stream stream, byte[] buffer, int size)
    {
        try
        {
            // Synchronous: a read of at most one chunk from a local file (usually the page cache) costs less than
            // the thread-pool hop of an asynchronous one, and the store reads its database synchronously too.
            var length = 0;
            int read;
            while (length < size && (read = stream.Read(buffer, length, size - length)) > 0)
            {
                length += read;
            }

            return length;
        }
        catch (IOException e)
        {
            throw new MultiLineAbortedException("The message could not be read.", e);
        }
    }

    private static ValueTask SendWholeAsync(Pop3Session session, ReadOnlySpan<byte> message, int? bodyLines, string okText, CancellationToken cancellationToken)
    {
        // Encoding at most doubles the bytes (a bare LF becomes CRLF, a leading "." is stuffed): asking for that
        // much room before the status line puts the whole reply in one buffer segment, hence one write on flush.
        _ = session.RawOutput.GetSpan((2 * message.Length) + okText.Length + ReplyOverhead);
        session.BeginMultiLine(okText);
        var encoder = new MessageEncoder(dotStuff: true, bodyLines);
        encoder.Encode(message, session.RawOutput);
        encoder.Finish(session.RawOutput);
        return session.EndMultiLineAsync(cancellationToken);
    }

    private static async ValueTask SendChunkedAsync(Pop3Session session, Stream stream, byte[] buffer, int? bodyLines, string okText, CancellationToken cancellationToken)
    {
        session.BeginMultiLine(okText);
        var encoder = new MessageEncoder(dotStuff: true, bodyLines);
        int read;
        long flushedAt = 0;
        while (!encoder.IsComplete && (read = await ReadAsync(stream, buffer, cancellationToken)) > 0)
        {
            encoder.Encode(buffer.AsSpan(0, read), session.RawOutput);
            // Flush once a chunk's worth is pending, so that a slow reader slows us down.
            if (encoder.Written - flushedAt >= ChunkSize)
            {
                flushedAt = encoder.Written;
                await session.FlushAsync(cancellationToken);
            }
        }

        encoder.Finish(session.RawOutput);
        await session.EndMultiLineAsync(cancellationToken);
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
