namespace Rampart.Security.Guard;

/// <summary>
/// A token bucket per session for commands (SECURITY.md C04): a burst of <see cref="Burst"/> commands at full speed,
/// then <see cref="PerSecond"/> a second. The protocol calls <see cref="Take"/> before each command and waits the
/// delay it returns, so a flood slows down instead of being cut off, and a normal client never notices. Not
/// thread-safe: one per session.
/// </summary>
public sealed class CommandRateLimiter
{
    /// <summary>Default burst: 1000 commands (a client syncing many folders at login, or pipelining a resync).</summary>
    public const int DefaultBurst = 1000;

    /// <summary>Default refill: 200 commands a second, above what a busy mail client sustains.</summary>
    public const double DefaultPerSecond = 200;

    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    /// <summary>Creates a bucket, full.</summary>
    public CommandRateLimiter(int burst = DefaultBurst, double perSecond = DefaultPerSecond, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        Burst = burst;
        PerSecond = perSecond;
        _time = time ?? TimeProvider.System;
        _tokens = burst;
        _last = _time.GetTimestamp();
    }

    /// <summary>Commands allowed at full speed.</summary>
    public int Burst { get; }

    /// <summary>Commands a second once the burst is spent.</summary>
    public double PerSecond { get; }

    /// <summary>Times <see cref="Take"/> asked a command to wait (for the bandwidth/flood event).</summary>
    public long Throttled { get; private set; }

    /// <summary>Takes a token for one command; returns how long to wait before running it (zero when one was free).</summary>
    public TimeSpan Take()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(Burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * PerSecond));
        _last = now;
        _tokens -= 1;
        if (_tokens >= 0)
        {
            return TimeSpan.Zero;
        }

        Throttled++;
        return TimeSpan.FromSeconds(-_tokens / PerSecond);
    }
}
