using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Monitoring.Events;

namespace Rampart.Monitoring.Alerts;

/// <summary>
/// Takes alerts from the detectors, drops repeats of the same kind and subject within
/// <see cref="AlertOptions.DeduplicationWindow"/>, caps the rate at <see cref="AlertOptions.MaxAlertsPerMinute"/>,
/// records each as an <see cref="AlertRaised"/> event, and hands it to every sink on a background loop so that
/// detectors (on the login path) never wait for a webhook or a mailbox.
/// </summary>
public sealed class AlertDispatcher : IAsyncDisposable
{
    private readonly AlertOptions options;
    private readonly ISecurityEvents events;
    private readonly ILogger logger;
    private readonly List<IAlertSink> sinks = [];
    private readonly Dictionary<(AlertKind, string), DateTimeOffset> lastSent = [];
    private readonly Queue<DateTimeOffset> recent = new();
    private readonly Channel<Alert> queue = Channel.CreateBounded<Alert>(new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource stopping = new();
    private Task? loop;
    private long suppressed;

    public AlertDispatcher(AlertOptions? options = null, ISecurityEvents? events = null, ILogger<AlertDispatcher>? logger = null)
    {
        this.options = options ?? new AlertOptions();
        this.events = events ?? NullSecurityEvents.Instance;
        this.logger = logger ?? NullLogger<AlertDispatcher>.Instance;
    }

    /// <summary>Alerts dropped by deduplication or the rate cap.</summary>
    public long Suppressed => Interlocked.Read(ref suppressed);

    /// <summary>Adds a sink; call before <see cref="Start"/>.</summary>
    public void AddSink(IAlertSink sink) => sinks.Add(sink);

    /// <summary>The sinks configured (for the self-check).</summary>
    public IReadOnlyList<IAlertSink> Sinks => sinks;

    /// <summary>Starts the delivery loop.</summary>
    public void Start() => loop ??= Task.Run(DeliverLoopAsync);

    /// <summary>Publishes an alert: returns false when it was deduplicated or rate-limited.</summary>
    public bool Publish(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        lock (lastSent)
        {
            var key = (alert.Kind, alert.Subject);
            if (lastSent.TryGetValue(key, out var last) && alert.Time - last < options.DeduplicationWindow)
            {
                Interlocked.Increment(ref suppressed);
                return false;
            }

            while (recent.Count > 0 && alert.Time - recent.Peek() >= TimeSpan.FromMinutes(1))
            {
                recent.Dequeue();
            }

            if (recent.Count >= options.MaxAlertsPerMinute)
            {
                Interlocked.Increment(ref suppressed);
                logger.LogWarning("alert rate limit reached; dropped {Kind} for {Subject}", alert.KindName, alert.Subject);
                return false;
            }

            recent.Enqueue(alert.Time);
            lastSent[key] = alert.Time;
            if (lastSent.Count > 100_000)
            {
                // Bound memory under an attack on many subjects: forget entries older than the window.
                foreach (var old in lastSent.Where(p => alert.Time - p.Value >= options.DeduplicationWindow).Select(p => p.Key).ToList())
                {
                    lastSent.Remove(old);
                }
            }
        }

        events.Raise(new AlertRaised
        {
            Time = alert.Time,
            Alert = alert.KindName,
            User = alert.Account,
            ClientIp = alert.ClientIp,
            Protocol = alert.Protocol,
            SessionId = alert.SessionId,
            Reason = alert.Summary,
        });
        logger.LogWarning("alert {Kind}: {Summary}", alert.KindName, alert.Summary);
        return queue.Writer.TryWrite(alert);
    }

    /// <summary>Waits until the alerts published so far were handed to every sink (tests, shutdown).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        while (queue.Reader.Count > 0 || Volatile.Read(ref inFlight) > 0)
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    private int inFlight;

    private async Task DeliverLoopAsync()
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stopping.Token))
            {
                Interlocked.Increment(ref inFlight);
                try
                {
                    while (queue.Reader.TryRead(out var alert))
                    {
                        foreach (var sink in sinks)
                        {
                            try
                            {
                                await sink.SendAsync(alert, stopping.Token);
                            }
#pragma warning disable CA1031 // One failing sink (a webhook down) must not stop the others or the loop.
                            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
#pragma warning restore CA1031
                            {
                                logger.LogError(e, "alert sink {Sink} failed for {Kind}", sink.GetType().Name, alert.KindName);
                            }
                        }
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        if (loop is not null)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await loop.WaitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                await stopping.CancelAsync();
                await loop;
            }
        }

        stopping.Dispose();
    }
}
