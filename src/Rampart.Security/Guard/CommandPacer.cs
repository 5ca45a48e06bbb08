namespace Rampart.Security.Guard;

/// <summary>
/// Paces one session's commands (SECURITY.md C04): the protocol awaits <see cref="PaceAsync"/> once per command before
/// dispatching it, and a <see cref="CommandRateLimiter"/> decides how long. A flood is slowed to the refill rate rather
/// than cut off, so a client that bursts (a folder sync at login) is never refused. Not thread-safe: one per session.
/// </summary>
public sealed class CommandPacer
{
    private readonly CommandRateLimiter _limiter;
    private readonly TimeProvider _time;

    /// <summary>Creates a pacer with a full bucket.</summary>
    /// <param name="burst">Commands at full speed (default <see cref="CommandRateLimiter.DefaultBurst"/>).</param>
    /// <param name="perSecond">Commands a second once the burst is spent (default <see cref="CommandRateLimiter.DefaultPerSecond"/>).</param>
    /// <param name="time">The clock the waits run on.</param>
    public CommandPacer(int burst, double perSecond, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _limiter = new CommandRateLimiter(burst, perSecond, _time);
    }

    /// <summary>Commands seen.</summary>
    public long Commands { get; private set; }

    /// <summary>Commands that had to wait before they ran.</summary>
    public long Paced => _limiter.Throttled;

    /// <summary>Called once, when the session's first command is paced: the <c>limit</c> audit event (issue 7), one per
    /// session however long the flood.</summary>
    public Action? FirstPaced { get; init; }

    /// <summary>Counts one command and waits as long as the limiter asks (not at all within the burst).</summary>
    public Task PaceAsync(CancellationToken cancellationToken)
    {
        Commands++;
        var wait = _limiter.Take();
        if (wait <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        if (Paced == 1)
        {
            FirstPaced?.Invoke();
        }

        return Task.Delay(wait, _time, cancellationToken);
    }
}
