namespace Rampart.Security.AppPasswords;

/// <summary>
/// Lets open sessions learn that the app password they logged in with was revoked (SECURITY.md F02): a session takes a
/// <see cref="CancellationToken"/> per app password at login and ends when it fires. Revocations in this process fire
/// at once; revocations by another process (<c>rampart app-password revoke</c>) are found by <see cref="SweepAsync"/>,
/// which the server runs every 30 seconds, so sessions end within 60 s.
/// </summary>
public sealed class AppPasswordRevocations : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Account, string Id), CancellationTokenSource> _sources = [];

    /// <summary>The token that fires when <paramref name="id"/> of <paramref name="accountName"/> is revoked.</summary>
    public CancellationToken Watch(string accountName, string id)
    {
        ArgumentNullException.ThrowIfNull(accountName);
        ArgumentNullException.ThrowIfNull(id);
        lock (_lock)
        {
            var key = (accountName.ToLowerInvariant(), id);
            if (!_sources.TryGetValue(key, out var source))
            {
                _sources[key] = source = new CancellationTokenSource();
            }

            return source.Token;
        }
    }

    /// <summary>Ends every session of <paramref name="id"/>.</summary>
    public void Revoke(string accountName, string id)
    {
        ArgumentNullException.ThrowIfNull(accountName);
        CancellationTokenSource? source;
        lock (_lock)
        {
            _sources.Remove((accountName.ToLowerInvariant(), id), out source);
        }

        if (source is not null)
        {
            source.Cancel();
            source.Dispose();
        }
    }

    /// <summary>App passwords being watched now.</summary>
    public int Watched
    {
        get
        {
            lock (_lock)
            {
                return _sources.Count;
            }
        }
    }

    /// <summary>Checks every watched app password against the stored list and revokes the ones that are gone.</summary>
    public async Task SweepAsync(AppPasswordService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        List<(string Account, string Id)> watched;
        lock (_lock)
        {
            watched = [.. _sources.Keys];
        }

        foreach (var group in watched.GroupBy(w => w.Account))
        {
            var present = (await service.ListAsync(group.Key, cancellationToken).ConfigureAwait(false)).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var (account, id) in group.Where(w => !present.Contains(w.Id)))
            {
                Revoke(account, id);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var source in _sources.Values)
            {
                source.Dispose();
            }

            _sources.Clear();
        }
    }
}
