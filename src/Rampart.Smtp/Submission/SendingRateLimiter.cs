using System.Collections.Concurrent;

namespace Rampart.Smtp.Submission;

/// <summary>Counts the messages each account submitted in the last rolling hour (<see cref="SmtpOptions.MaxMessagesPerHour"/>).</summary>
/// <remarks>A stolen password must not turn the server into a spam source at full speed; RFC 6409 §4.3 lets a
/// submission server enforce site policy. Memory: one timestamp per message counted, at most the limit per account.</remarks>
public sealed class SendingRateLimiter
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly int _perHour;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _sent = new(StringComparer.OrdinalIgnoreCase);

    public SendingRateLimiter(int perHour, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perHour, 1);
        ArgumentNullException.ThrowIfNull(time);
        _perHour = perHour;
        _time = time;
    }

    /// <summary>Whether <paramref name="account"/> may send one more message now.</summary>
    public bool CanSend(string account)
    {
        var queue = _sent.GetOrAdd(account, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            Trim(queue);
            return queue.Count < _perHour;
        }
    }

    /// <summary>Counts one accepted message.</summary>
    public void Count(string account)
    {
        var queue = _sent.GetOrAdd(account, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            Trim(queue);
            queue.Enqueue(_time.GetUtcNow());
        }
    }

    private void Trim(Queue<DateTimeOffset> queue)
    {
        var since = _time.GetUtcNow() - Window;
        while (queue.Count > 0 && queue.Peek() <= since)
        {
            queue.Dequeue();
        }
    }
}
