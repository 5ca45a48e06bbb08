using System.Buffers;
using System.IO.Pipelines;
using Rampart.Net.Reading;
using Rampart.Smtp.Protocol;

namespace Rampart.Smtp.Session;

/// <summary>
/// Reads what an SMTP client sends: command lines (through <see cref="LineReader"/> and its limits), DATA content
/// through a <see cref="DataDecoder"/>, and BDAT chunks of an exact length, all one network read at a time.
/// </summary>
/// <remarks>
/// PIPELINING (RFC 2920 §3.2): replies are buffered while the client's commands are already here, and flushed
/// just before the reader would wait for the client — exactly when the client waits for us. After STARTTLS make a
/// new reader over the new input.
/// </remarks>
internal sealed class SmtpInput
{
    private readonly PipeReader _input;
    private readonly LineReader _lines;
    private readonly Func<CancellationToken, ValueTask> _beforeWait;
    private ReadOnlySequence<byte> _buffer;
    private bool _holding;
    private bool _completed;

    /// <param name="input">The connection's input.</param>
    /// <param name="limits">The line limits (shared; the session may change them).</param>
    /// <param name="beforeWait">Flushes pending replies; called before every read that may block.</param>
    public SmtpInput(PipeReader input, LineReaderLimits limits, Func<CancellationToken, ValueTask> beforeWait)
    {
        _input = input;
        _lines = new LineReader(limits);
        _beforeWait = beforeWait;
    }

    /// <summary>Reads the next line.</summary>
    public async ValueTask<LineReadResult> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!_holding)
            {
                await ReadAsync(cancellationToken);
            }

            var buffer = _buffer;
            var status = _lines.TryRead(ref buffer, out var line, out _);
            if (status != LineReadStatus.NeedMoreData)
            {
                _buffer = buffer;
                return new LineReadResult(status, line, null);
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            _holding = false;
            if (_completed)
            {
                return new LineReadResult(LineReadStatus.EndOfStream, default, null);
            }
        }
    }

    /// <summary>Drops input through the next LF (after an over-long or malformed line). False when the client left.</summary>
    public async ValueTask<bool> SkipLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!await FillAsync(cancellationToken))
            {
                return false;
            }

            var buffer = _buffer;
            var found = _lines.TrySkipLine(ref buffer);
            Release(buffer.Start);
            if (found)
            {
                return true;
            }
        }
    }

    /// <summary>Feeds DATA content through <paramref name="decoder"/> into <paramref name="destination"/> (or nowhere)
    /// until the decoder finds the end. False when the client left first.</summary>
    public async ValueTask<bool> ReadDataAsync(DataDecoder decoder, Stream? destination, CancellationToken cancellationToken)
    {
        var output = ArrayPool<byte>.Shared.Rent(DataDecoder.OutputSizeFor(16 * 1024));
        try
        {
            while (!decoder.IsComplete)
            {
                if (!await FillAsync(cancellationToken))
                {
                    return false;
                }

                var used = 0L;
                foreach (var segment in _buffer)
                {
                    var offset = 0;
                    while (offset < segment.Length && !decoder.IsComplete)
                    {
                        var take = Math.Min(segment.Length - offset, 16 * 1024);
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

                Release(_buffer.GetPosition(used));
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
    public async ValueTask<bool> ReadChunkAsync(long length, ChunkInspector inspector, Stream? destination, CancellationToken cancellationToken)
    {
        while (length > 0)
        {
            if (!await FillAsync(cancellationToken))
            {
                return false;
            }

            var chunk = _buffer.Slice(0, Math.Min(length, _buffer.Length));
            foreach (var segment in chunk)
            {
                if (inspector.Inspect(segment.Span) && destination is not null)
                {
                    await destination.WriteAsync(segment, cancellationToken);
                }
            }

            length -= chunk.Length;
            Release(chunk.End);
        }

        return true;
    }

    private async ValueTask ReadAsync(CancellationToken cancellationToken)
    {
        if (!_input.TryRead(out var read))
        {
            await _beforeWait(cancellationToken);
            read = await _input.ReadAsync(cancellationToken);
        }

        _buffer = read.Buffer;
        _completed = read.IsCompleted || read.IsCanceled;
        _holding = true;
    }

    /// <summary>Ensures unconsumed bytes are held; false at the end of the stream.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        while (!_holding || _buffer.IsEmpty)
        {
            if (_holding)
            {
                _input.AdvanceTo(_buffer.Start, _buffer.End);
                _holding = false;
                if (_completed)
                {
                    return false;
                }
            }

            await ReadAsync(cancellationToken);
            if (_buffer.IsEmpty && _completed)
            {
                _input.AdvanceTo(_buffer.End);
                _holding = false;
                return false;
            }
        }

        return true;
    }

    private void Release(SequencePosition consumed)
    {
        _input.AdvanceTo(consumed);
        _holding = false;
    }
}
