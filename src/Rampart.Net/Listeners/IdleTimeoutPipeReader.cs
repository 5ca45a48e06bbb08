using System.Buffers;
using System.IO.Pipelines;

namespace Rampart.Net.Listeners;

/// <summary>
/// Wraps the connection's input so that every read waits at most <see cref="Connection.IdleTimeout"/>; on expiry
/// the connection is aborted and the read throws <see cref="ConnectionIdleTimeoutException"/>. It also keeps count
/// of the bytes read from the socket and not yet consumed (<see cref="Unconsumed"/>): what STARTTLS discards.
/// </summary>
internal sealed class IdleTimeoutPipeReader(PipeReader inner, Connection connection) : PipeReader
{
    private ReadOnlySequence<byte> _last;

    public PipeReader Inner => inner;

    private long _unconsumed;

    /// <summary>The protocol's line reader over this input, if any: it holds a returned line's buffer until its next
    /// call, so it knows better than this wrapper which of the bytes read are still unconsumed.</summary>
    public Reading.ProtocolReader? Holder { get; set; }

    /// <summary>Bytes read from the socket that the protocol has not consumed (the bytes after the current line).</summary>
    public long Unconsumed => Holder is { HeldBytes: >= 0 and var held } ? held : _unconsumed;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var timeout = connection.IdleTimeout;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return Seen(await inner.ReadAsync(cancellationToken));
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linked.CancelAfter(timeout);
        try
        {
            return Seen(await inner.ReadAsync(linked.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            connection.Abort();
            throw new ConnectionIdleTimeoutException($"No data from the client for {timeout.TotalSeconds:0.#} s.");
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        Seen(result);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        Consumed(consumed);
        inner.AdvanceTo(consumed);
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        Consumed(consumed);
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    private ReadResult Seen(ReadResult result)
    {
        _last = result.Buffer;
        _unconsumed = result.Buffer.Length;
        return result;
    }

    private void Consumed(SequencePosition consumed)
    {
        // Measured before the inner reader is advanced: after that the buffer's segments may be reused.
        _unconsumed = _last.Slice(consumed).Length;
        _last = default;
    }
}
