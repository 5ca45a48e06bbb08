namespace Rampart.Security.Guard;

/// <summary>One authenticated session counted by <see cref="SessionLimiter"/>; dispose it when the session ends.
/// Disposing twice releases once.</summary>
public sealed class SessionLease : IDisposable
{
    private readonly SessionLimiter _limiter;
    private readonly string _account;
    private readonly System.Net.IPNetwork _client;
    private int _released;

    internal SessionLease(SessionLimiter limiter, string account, System.Net.IPNetwork client)
    {
        _limiter = limiter;
        _account = account;
        _client = client;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _limiter.Release(_account, _client);
        }
    }
}
