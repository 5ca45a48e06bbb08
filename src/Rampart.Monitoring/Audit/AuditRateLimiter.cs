using System.Net;
using Rampart.Monitoring.Events;

namespace Rampart.Monitoring.Audit;

/// <summary>
/// Caps lines per (event kind, client IP) per one-second window (SECURITY.md L03): a flood of failures from one
/// address becomes at most <see cref="AuditOptions.MaxLinesPerSecondPerSource"/> lines and one summary with the
/// suppressed count. Events without a client IP (admin actions, configuration changes) are never suppressed.
/// Used by the single writer thread only, so it takes no lock.
/// </summary>
internal sealed class AuditRateLimiter
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly int limit;
    private readonly Dictionary<(SecurityEventKind Kind, IPAddress Ip), Bucket> buckets = [];

    public AuditRateLimiter(int limit) => this.limit = Math.Max(1, limit);

    /// <summary>Whether the event should be written; when not, it is counted for the window's summary. A window
    /// that ended with suppressed events is returned through <paramref name="closed"/> so its summary is written
    /// before this event.</summary>
    public bool Admit(SecurityEvent e, out Suppression? closed)
    {
        closed = null;
        if (e.ClientIp is not { } ip)
        {
            return true;
        }

        var key = (e.Kind, ip);
        if (!buckets.TryGetValue(key, out var bucket) || e.Time - bucket.Start >= Window)
        {
            if (bucket is { Suppressed: > 0 })
            {
                closed = new Suppression(e.Kind, ip, bucket.Start, bucket.Suppressed);
            }

            bucket = new Bucket { Start = e.Time };
            buckets[key] = bucket;
        }

        if (bucket.Written < limit)
        {
            bucket.Written++;
            return true;
        }

        bucket.Suppressed++;
        return false;
    }

    /// <summary>Closes windows that ended before <paramref name="now"/>, returning those with suppressed events,
    /// and forgets idle sources so memory stays bounded by the sources of the last second.</summary>
    public List<Suppression> Sweep(DateTimeOffset now)
    {
        var result = new List<Suppression>();
        foreach (var (key, bucket) in buckets)
        {
            if (now - bucket.Start >= Window)
            {
                if (bucket.Suppressed > 0)
                {
                    result.Add(new Suppression(key.Kind, key.Ip, bucket.Start, bucket.Suppressed));
                }

                buckets.Remove(key);
            }
        }

        return result;
    }

    /// <summary>A window's suppressed count.</summary>
    internal sealed record Suppression(SecurityEventKind Kind, IPAddress Ip, DateTimeOffset Since, long Count);

    private sealed class Bucket
    {
        public DateTimeOffset Start { get; init; }

        public int Written { get; set; }

        public long Suppressed { get; set; }
    }
}
