using System.Net;

namespace Rampart.Net.Access;

/// <summary>One counted connection. The per-IP part ends at authentication (the per-IP limit is a pre-auth
/// limit), the total part when the connection closes.</summary>
public sealed class ConnectionLease : IDisposable
{
    private readonly ConnectionGate _gate;
    private readonly IPAddress _key;
    private int _perIpReleased;
    private int _disposed;

    internal ConnectionLease(ConnectionGate gate, IPAddress key)
    {
        _gate = gate;
        _key = key;
    }

    /// <summary>Stops counting this connection against the per-IP pre-auth limit.</summary>
    public void ReleasePreAuth()
    {
        if (Interlocked.Exchange(ref _perIpReleased, 1) == 0)
        {
            _gate.ReleaseClient(_key);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            ReleasePreAuth();
            _gate.ReleaseTotal();
        }
    }
}
