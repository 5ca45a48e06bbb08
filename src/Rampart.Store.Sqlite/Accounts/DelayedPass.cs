namespace Rampart.Store.Sqlite.Accounts;

/// <summary>Background work that runs a fixed delay after it is first requested, once for every request made in
/// the meantime (the account writer's full-text index flush and its WAL checkpoint: a run of commits is served by one
/// pass). Closing cuts a waiting delay short, so the last pass runs at once and can be awaited.</summary>
internal sealed class DelayedPass(TimeSpan delay, Func<Task> work, CancellationToken closing)
{
    /// <summary>1 while a pass is waiting for its delay; a request then joins it.</summary>
    private int scheduled;

    /// <summary>The last pass started (requests come from the account writer's loop only).</summary>
    public Task Last { get; private set; } = Task.CompletedTask;

    public void Request()
    {
        if (Interlocked.Exchange(ref scheduled, 1) == 1)
        {
            return;
        }

        Last = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, closing).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Closing: run now rather than after the delay.
            }

            // Cleared before the work: a commit during the pass schedules the next one.
            Volatile.Write(ref scheduled, 0);
            await work().ConfigureAwait(false);
        });
    }
}
