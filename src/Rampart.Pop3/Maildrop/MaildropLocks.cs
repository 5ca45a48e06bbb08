using System.Collections.Concurrent;

namespace Rampart.Pop3.Maildrop;

/// <summary>
/// The one-POP3-session-per-account rule: RFC 1939 §8 lets a server lock the maildrop for the life of a session,
/// and RFC 2449 §8.1.1 names the refusal <c>[IN-USE]</c>. IMAP sessions are not affected.
/// </summary>
/// <remarks>The registry lives in one server process: two <c>rampart</c> nodes sharing a database each keep their
/// own, so one account can hold a POP3 session on each node. That is safe (message numbers are per session and
/// deletions go through the store), only less strict than a cluster-wide lock.</remarks>
public sealed class MaildropLocks
{
    private readonly ConcurrentDictionary<long, Lease> _held = new();

    /// <summary>Number of maildrops locked now.</summary>
    public int Count => _held.Count;

    /// <summary>Takes the lock of account <paramref name="accountId"/>; null when another session holds it.</summary>
    public IDisposable? TryAcquire(long accountId)
    {
        var lease = new Lease(this, accountId);
        return _held.TryAdd(accountId, lease) ? lease : null;
    }

    /// <summary>Whether a session holds the lock of <paramref name="accountId"/>.</summary>
    public bool IsHeld(long accountId) => _held.ContainsKey(accountId);

    private sealed class Lease(MaildropLocks owner, long accountId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner._held.TryRemove(new KeyValuePair<long, Lease>(accountId, this));
            }
        }
    }
}
