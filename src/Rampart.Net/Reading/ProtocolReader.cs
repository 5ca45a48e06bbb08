using System.Buffers;
using System.IO.Pipelines;

namespace Rampart.Net.Reading;

/// <summary>
/// The asynchronous driver of <see cref="LineReader"/> over a <see cref="PipeReader"/>: it reads lines, then
/// streams announced literals to a destination in chunks, never holding a whole literal; content that is neither
/// (SMTP DATA and BDAT) is handed over as it arrives (<see cref="ReadBytesAsync"/>).
/// </summary>
/// <remarks>
/// Every read ends with <c>AdvanceTo(consumed, examined)</c>, so the pipe holds at most one line (bounded by
/// <see cref="LineReaderLimits.MaxLineLength"/>) plus one network read. A returned line stays valid until the
/// next call, which is when its bytes are released. After STARTTLS make a new reader over the new input.
/// </remarks>
public sealed class ProtocolReader
{
    private readonly PipeReader _input;
    private readonly LineReader _lines;
    private ReadOnlySequence<byte> _buffer;
    private bool _holding;
    private bool _completed;
    private long _pendingLiteral = -1;

    /// <summary>Creates a reader over <paramref name="input"/> with the given (mutable, shared) limits.</summary>
    public ProtocolReader(PipeReader input, LineReaderLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        _lines = new LineReader(limits);

        // The connection asks its reader how much the protocol still holds unread when STARTTLS discards it.
        if (input is Listeners.IdleTimeoutPipeReader connectionInput)
        {
            connectionInput.Holder = this;
        }
    }

    /// <summary>Bytes held after the last line returned and not yet consumed, or -1 when nothing is held (the pipe's
    /// own count is then exact).</summary>
    internal long HeldBytes => _holding ? _buffer.Length : -1;

    /// <summary>The limits in force; change <see cref="LineReaderLimits.MaxLiteralLength"/> after login.</summary>
    public LineReaderLimits Limits => _lines.Limits;

    /// <summary>Octets of the announced literal not yet read, or -1 when no literal is pending.</summary>
    public long PendingLiteralLength => _pendingLiteral;

    /// <summary>Called just before a read that would wait for the peer; null (the default) for none.</summary>
    /// <remarks>A protocol with pipelining (SMTP, RFC 2920 §3.2) buffers its replies while the client's next commands
    /// are already here and flushes them here, exactly when the client waits for them.</remarks>
    public Func<CancellationToken, ValueTask>? BeforeWait { get; init; }

    /// <summary>Reads the next line. When it announces a literal, read it with <see cref="ReadLiteralAsync"/>
    /// (after sending the continuation for a synchronizing one) before reading the next line.</summary>
    /// <exception cref="InvalidOperationException">A literal is pending.</exception>
    public async ValueTask<LineReadResult> ReadLineAsync(CancellationToken cancellationToken = default)
    {
        if (_pendingLiteral >= 0)
        {
            throw new InvalidOperationException("The announced literal must be read (or skipped) before the next line.");
        }

        while (true)
        {
            if (!_holding)
            {
                await ReadAsync(cancellationToken);
            }

            var buffer = _buffer;
            var status = _lines.TryRead(ref buffer, out var line, out var literal);
            if (status != LineReadStatus.NeedMoreData)
            {
                // Keep holding the buffer: the line refers to it until the next call.
                _buffer = buffer;
                if (status == LineReadStatus.Line && literal is { } header)
                {
                    _pendingLiteral = header.Length;
                }

                return new LineReadResult(status, line, literal);
            }

            // Everything was examined; keep the unconsumed bytes and wait for more.
            _input.AdvanceTo(buffer.Start, buffer.End);
            _holding = false;
            if (_completed)
            {
                return new LineReadResult(LineReadStatus.EndOfStream, default, null);
            }
        }
    }

    /// <summary>Copies the pending literal to <paramref name="destination"/> (or discards it when null), one
    /// network chunk at a time.</summary>
    /// <returns>False when the peer closed the connection before the literal ended.</returns>
    public async ValueTask<bool> ReadLiteralAsync(Stream? destination, CancellationToken cancellationToken = default)
    {
        if (_pendingLiteral < 0)
        {
            throw new InvalidOperationException("No literal is pending.");
        }

        while (_pendingLiteral > 0)
        {
            if (!await FillAsync(cancellationToken))
            {
                _pendingLiteral = -1;
                return false;
            }

            var take = Math.Min(_pendingLiteral, _buffer.Length);
            var chunk = _buffer.Slice(0, take);
            if (destination is not null)
            {
                foreach (var segment in chunk)
                {
                    await destination.WriteAsync(segment, cancellationToken);
                }
            }

            _pendingLiteral -= take;
            Release(chunk.End);
        }

        _pendingLiteral = -1;
        return true;
    }

    /// <summary>Forgets the announced literal without reading it. Only for a synchronizing literal the protocol
    /// refused before sending its continuation (e.g. IMAP <c>NO [TRYCREATE]</c> or <c>BAD [TOOBIG]</c>): the client
    /// then never sends the bytes, and the next line is its next command (RFC 9051 §4.3).</summary>
    /// <exception cref="InvalidOperationException">No literal is pending.</exception>
    public void RefuseLiteral()
    {
        if (_pendingLiteral < 0)
        {
            throw new InvalidOperationException("No literal is pending.");
        }

        _pendingLiteral = -1;
    }

    /// <summary>
    /// Drops input up to and including the next LF, e.g. after <see cref="LineReadStatus.LineTooLong"/> when the
    /// protocol answers BAD and goes on. Memory stays flat whatever the length.
    /// </summary>
    /// <returns>False when the peer closed the connection first.</returns>
    public async ValueTask<bool> SkipLineAsync(CancellationToken cancellationToken = default)
    {
        _pendingLiteral = -1;
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

    /// <summary>Ensures unconsumed bytes are held; false at end of stream.</summary>
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

    /// <summary>
    /// Returns the input not yet consumed, as it comes (at least one octet), for content that is not made of lines or
    /// literals: SMTP DATA through its dot-unstuffing decoder (RFC 5321 §4.5.2), BDAT chunks (RFC 3030 §2). Say with
    /// <see cref="Consume"/> how much was used; the sequence is valid until then. Empty at the end of the stream.
    /// </summary>
    /// <exception cref="InvalidOperationException">A literal is pending.</exception>
    public async ValueTask<ReadOnlySequence<byte>> ReadBytesAsync(CancellationToken cancellationToken = default)
    {
        if (_pendingLiteral >= 0)
        {
            throw new InvalidOperationException("The announced literal must be read (or skipped) first.");
        }

        return await FillAsync(cancellationToken) ? _buffer : ReadOnlySequence<byte>.Empty;
    }

    /// <summary>Consumes the first <paramref name="count"/> octets of what <see cref="ReadBytesAsync"/> returned; the
    /// rest is returned again by the next read.</summary>
    /// <exception cref="InvalidOperationException">Nothing is held.</exception>
    public void Consume(long count)
    {
        if (!_holding)
        {
            throw new InvalidOperationException("Nothing has been read.");
        }

        Release(_buffer.GetPosition(count));
    }

    /// <summary>Gives the bytes after the last line back to the pipe, unexamined, so that the next reader of the pipe
    /// (a new layer such as IMAP COMPRESS, RFC 4978 §3) sees what the peer already sent for it. The reader is not used
    /// afterwards.</summary>
    public void Detach()
    {
        if (_holding)
        {
            _input.AdvanceTo(_buffer.Start);
            _holding = false;
        }

        _pendingLiteral = -1;
    }

    /// <summary>Holds the pipe's next buffer; <see cref="BeforeWait"/> runs first unless bytes are already there.</summary>
    private async ValueTask ReadAsync(CancellationToken cancellationToken)
    {
        ReadResult read;
        if (BeforeWait is null)
        {
            read = await _input.ReadAsync(cancellationToken);
        }
        else if (!_input.TryRead(out read))
        {
            await BeforeWait(cancellationToken);
            read = await _input.ReadAsync(cancellationToken);
        }

        _buffer = read.Buffer;
        _completed = read.IsCompleted || read.IsCanceled;
        _holding = true;
    }

    private void Release(SequencePosition consumed)
    {
        _input.AdvanceTo(consumed);
        _holding = false;
    }
}
