using System.IO.Pipelines;

namespace Rampart.Net.Listeners;

/// <summary>
/// Wraps the connection's input so that every read waits at most <see cref="Connection.IdleTimeout"/>; on expiry
/// the connection is aborted and the read throws <see cref="ConnectionIdleTimeoutException"/>.
/// </summary>
internal sealed class IdleTimeoutPipeReader(PipeReader inner, Connection connection) : PipeReader
{
    public PipeReader Inner => inner;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var timeout = connection.IdleTimeout;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return await inner.ReadAsync(cancellationToken);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linked.CancelAfter(timeout);
        try
        {
            return await inner.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            connection.Abort();
            throw new ConnectionIdleTimeoutException($"No data from the client for {timeout.TotalSeconds:0.#} s.");
        }
    }

    public override bool TryRead(out ReadResult result) => inner.TryRead(out result);

    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);
}
