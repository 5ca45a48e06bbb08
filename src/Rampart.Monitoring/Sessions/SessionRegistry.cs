using System.Collections.Concurrent;
using System.Net;
using Rampart.Monitoring.Events;

namespace Rampart.Monitoring.Sessions;

/// <summary>
/// The live sessions of this process, for <c>rampart sessions list|kill</c> and the detectors. The server registers
/// every accepted connection with a kill action (closing the socket) and unregisters it when it ends; the registry
/// then learns the user, client id and byte counts from the events protocols already raise
/// (<see cref="AuthenticationSucceeded"/>, <see cref="ClientIdentified"/>, <see cref="DataTransferred"/>), so a
/// protocol needs no call of its own.
/// </summary>
public sealed class SessionRegistry : ISecurityEvents
{
    private readonly ConcurrentDictionary<string, Entry> sessions = new(StringComparer.Ordinal);

    public bool IsEnabled => true;

    /// <summary>Sessions now open.</summary>
    public int Count => sessions.Count;

    /// <summary>Adds a session. <paramref name="kill"/> must end it promptly (abort the socket or cancel the token the
    /// protocol gave) and must be safe to call more than once.</summary>
    public void Register(string id, string protocol, string? listener, IPAddress? clientIp, DateTimeOffset since, string? tlsVersion, Action kill)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(kill);
        sessions[id] = new Entry(id, protocol, listener, clientIp, since, tlsVersion, kill);
    }

    /// <summary>Removes a session and returns its last state, or null when unknown.</summary>
    public SessionInfo? Unregister(string id) => sessions.TryRemove(id, out var entry) ? entry.Snapshot() : null;

    /// <summary>Sessions, optionally of one user (case-insensitive), oldest first.</summary>
    public IReadOnlyList<SessionInfo> List(string? user = null) =>
        [.. sessions.Values
            .Select(e => e.Snapshot())
            .Where(s => user is null || string.Equals(s.User, user, StringComparison.OrdinalIgnoreCase))
            .OrderBy(s => s.Since)
            .ThenBy(s => s.Id, StringComparer.Ordinal)];

    /// <summary>The session with this id, or null.</summary>
    public SessionInfo? Find(string id) => sessions.TryGetValue(id, out var entry) ? entry.Snapshot() : null;

    /// <summary>Ends one session; false when no such session is open.</summary>
    public bool Kill(string id)
    {
        if (!sessions.TryGetValue(id, out var entry))
        {
            return false;
        }

        entry.Kill();
        return true;
    }

    /// <summary>Ends every session of <paramref name="user"/>; returns how many.</summary>
    public int KillUser(string user)
    {
        var count = 0;
        foreach (var entry in sessions.Values.Where(e => string.Equals(e.User, user, StringComparison.OrdinalIgnoreCase)))
        {
            entry.Kill();
            count++;
        }

        return count;
    }

    public void Raise(SecurityEvent securityEvent)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        if (securityEvent.SessionId is not { } id || !sessions.TryGetValue(id, out var entry))
        {
            return;
        }

        switch (securityEvent)
        {
            case AuthenticationSucceeded e:
                entry.User = e.User;
                break;
            case ClientIdentified e:
                entry.ClientId = e.ClientId.Length <= 256 ? e.ClientId : e.ClientId[..256];
                break;
            case DataTransferred e:
                entry.AddBytes(e.BytesIn, e.BytesOut);
                break;
            default:
                break;
        }
    }

    private sealed class Entry(string id, string protocol, string? listener, IPAddress? clientIp, DateTimeOffset since, string? tlsVersion, Action kill)
    {
        private long bytesIn;
        private long bytesOut;
        private int killed;

        public volatile string? User;

        public volatile string? ClientId;

        public void AddBytes(long received, long sent)
        {
            Interlocked.Add(ref bytesIn, received);
            Interlocked.Add(ref bytesOut, sent);
        }

        public void Kill()
        {
            if (Interlocked.Exchange(ref killed, 1) == 0)
            {
                kill();
            }
        }

        public SessionInfo Snapshot() =>
            new(id, protocol, listener, clientIp, since, tlsVersion, User, ClientId, Interlocked.Read(ref bytesIn), Interlocked.Read(ref bytesOut));
    }
}
