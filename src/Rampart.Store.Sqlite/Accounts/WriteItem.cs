namespace Rampart.Store.Sqlite.Accounts;

/// <summary>A write queued for the account writer. It runs inside the batch transaction and its caller learns the
/// outcome only after the commit.</summary>
internal abstract class WriteItem
{
    /// <summary>The write only changes flags, so its commit may skip the fsync (<see cref="SqliteStoreOptions.FsyncFlagChanges"/>).</summary>
    public bool FlagsOnly { get; init; }

    /// <summary>The fsyncs of the blob the write names (<see cref="Blobs.StoredBlob.Durable"/>): its commit waits for them.</summary>
    public Task? Prerequisite { get; init; }

    /// <summary>Completes the item as cancelled if its caller gave up before it ran; true when it did.</summary>
    public abstract bool TryCancel();

    public abstract void Run(WriteContext context);

    public abstract void Failed(Exception exception);

    public abstract void Complete();
}

/// <inheritdoc />
internal sealed class WriteItem<T> : WriteItem
{
    private readonly Func<WriteContext, T> work;
    private readonly CancellationToken cancellationToken;
    private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? result;
    private Exception? failure;

    public WriteItem(Func<WriteContext, T> work, CancellationToken cancellationToken)
    {
        this.work = work;
        this.cancellationToken = cancellationToken;
    }

    public Task<T> Task => completion.Task;

    public override bool TryCancel()
    {
        if (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        completion.TrySetCanceled(cancellationToken);
        return true;
    }

    public override void Run(WriteContext context) => result = work(context);

    public override void Failed(Exception exception) => failure ??= exception;

    public override void Complete()
    {
        if (failure is OperationCanceledException)
        {
            completion.TrySetCanceled();
        }
        else if (failure is not null)
        {
            completion.TrySetException(failure);
        }
        else
        {
            completion.TrySetResult(result!);
        }
    }
}
