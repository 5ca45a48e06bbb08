using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rampart.Monitoring.Events;

/// <summary>
/// The fan-out: every raised event goes to each subscriber (audit log, metrics, session registry, detectors) in the
/// order they subscribed, synchronously on the caller's thread. Subscribers only enqueue or update counters, so this
/// stays cheap; with no subscriber, <see cref="Raise"/> is one array-length check.
/// </summary>
public sealed class SecurityEventHub : ISecurityEvents
{
    private readonly ILogger logger;
    private ISecurityEvents[] subscribers = [];

    public SecurityEventHub(ILogger<SecurityEventHub>? logger = null) => this.logger = logger ?? NullLogger<SecurityEventHub>.Instance;

    public bool IsEnabled => Volatile.Read(ref subscribers).Length > 0;

    /// <summary>Adds a subscriber (copy-on-write: raising never takes a lock).</summary>
    public void Subscribe(ISecurityEvents subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (logger)
        {
            subscribers = [.. subscribers, subscriber];
        }
    }

    public void Raise(SecurityEvent securityEvent)
    {
        var current = Volatile.Read(ref subscribers);
        foreach (var subscriber in current)
        {
            try
            {
                subscriber.Raise(securityEvent);
            }
#pragma warning disable CA1031 // A monitoring bug must never break the login or accept path that raised the event.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogError(e, "security event subscriber {Subscriber} failed on {Kind}", subscriber.GetType().Name, securityEvent.Kind);
            }
        }
    }
}
