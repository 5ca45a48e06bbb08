using System.Collections.Concurrent;
using System.Net;
using Rampart.Net.Access;
using Rampart.Net.Listeners;

namespace Rampart.Net.Tests.TestSupport;

public sealed class RecordingObserver : IConnectionObserver
{
    public ConcurrentQueue<(IPEndPoint Remote, ConnectionRefusal Reason)> Refused { get; } = new();

    public ConcurrentQueue<string> TlsFailures { get; } = new();

    public ConcurrentQueue<Connection> Accepted { get; } = new();

    public void ConnectionAccepted(Connection connection) => Accepted.Enqueue(connection);

    public void ConnectionRefused(string listenerName, IPEndPoint remote, ConnectionRefusal reason) => Refused.Enqueue((remote, reason));

    public void TlsHandshakeFailed(string listenerName, IPEndPoint remote, string reason) => TlsFailures.Enqueue(reason);
}
