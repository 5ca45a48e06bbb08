using System.Collections.Concurrent;
using Rampart.Monitoring.Alerts;

namespace Rampart.Monitoring.Tests.Alerts;

/// <summary>A sink that keeps what it receives.</summary>
public sealed class CollectingSink : IAlertSink
{
    public ConcurrentQueue<Alert> Received { get; } = new();

    public Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        Received.Enqueue(alert);
        return Task.CompletedTask;
    }
}
