using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Rampart.Store.Changes;

namespace Rampart.Store.Sqlite.Changes;

/// <summary>Delivers one account's change log to its subscribers in commit order. There is a single source of truth,
/// the <c>changes</c> table: a local commit wakes the pump at once, and while anyone is subscribed the pump also
/// polls the table, so changes committed by another process on the same data directory arrive within a poll
/// interval. Nothing runs for an account without subscribers.</summary>
internal sealed partial class ChangeNotifier : IDisposable
{
    private const int PageSize = 1000;

    private readonly Func<SqliteConnection> openReader;
    private readonly TimeSpan pollInterval;
    private readonly int capacity;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly List<ChangeSubscription> subscribers = [];
    private readonly SemaphoreSlim wake = new(0, 1);
    private readonly CancellationTokenSource stop = new();
    private Task? pump;
    private long lastDelivered;

    public ChangeNotifier(Func<SqliteConnection> openReader, TimeSpan pollInterval, int capacity, ILogger logger)
    {
        this.openReader = openReader;
        this.pollInterval = pollInterval;
        this.capacity = capacity;
        this.logger = logger;
    }

    public IChangeSubscription Subscribe()
    {
        var start = ReadMaxId();
        var subscription = new ChangeSubscription(this, capacity, start);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(stop.IsCancellationRequested, this);
            if (pump is null)
            {
                lastDelivered = start;
                pump = Task.Run(PumpAsync);
            }

            subscribers.Add(subscription);
        }

        return subscription;
    }

    /// <summary>A local commit added rows: deliver them now rather than at the next poll.</summary>
    public void Notify()
    {
        lock (gate)
        {
            if (pump is null || wake.CurrentCount > 0)
            {
                return;
            }

            wake.Release();
        }
    }

    public void Remove(ChangeSubscription subscription)
    {
        lock (gate)
        {
            subscribers.Remove(subscription);
        }
    }

    public void Dispose()
    {
        Task? running;
        lock (gate)
        {
            if (stop.IsCancellationRequested)
            {
                return;
            }

            stop.Cancel();
            running = pump;
            foreach (var s in subscribers)
            {
                s.Complete();
            }

            subscribers.Clear();
        }

        try
        {
            running?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The pump ends by cancellation; anything else was already logged by it.
        }

        stop.Dispose();
        wake.Dispose();
    }

    private long ReadMaxId()
    {
        using var connection = openReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(id), 0) FROM changes";
        return (long)command.ExecuteScalar()!;
    }

    private async Task PumpAsync()
    {
        var token = stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await wake.WaitAsync(pollInterval, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            ChangeSubscription[] targets;
            lock (gate)
            {
                if (subscribers.Count == 0)
                {
                    pump = null;
                    return;
                }

                targets = [.. subscribers];
            }

            try
            {
                DeliverPending(targets);
            }
            catch (SqliteException ex)
            {
                // A locked or briefly unavailable database: try again at the next poll.
                LogPumpFailed(logger, ex);
            }
        }
    }

    private void DeliverPending(ChangeSubscription[] targets)
    {
        using var connection = openReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, kind, data FROM changes WHERE id > $after ORDER BY id LIMIT $limit";
        var after = command.Parameters.Add("$after", SqliteType.Integer);
        command.Parameters.AddWithValue("$limit", PageSize);
        while (true)
        {
            after.Value = lastDelivered;
            var rows = 0;
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows++;
                    var id = reader.GetInt64(0);
                    if (id > lastDelivered + 1)
                    {
                        // Rows this pump never delivered were pruned (it lagged past the retention): say so.
                        foreach (var target in targets)
                        {
                            target.Publish(id, new FeedOverflow());
                        }
                    }

                    var change = ChangeCodec.Decode(reader.GetInt32(1), reader.GetString(2));
                    lastDelivered = id;
                    if (change is null)
                    {
                        continue;
                    }

                    foreach (var target in targets)
                    {
                        target.Publish(id, change);
                    }
                }
            }

            if (rows < PageSize)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the change log failed; retrying at the next poll")]
    private static partial void LogPumpFailed(ILogger logger, Exception exception);
}
