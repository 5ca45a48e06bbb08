using System.Net;
using Rampart.Monitoring;
using Rampart.Monitoring.Events;
using Rampart.Net.Access;
using Rampart.Net.Listeners;
using Rampart.Server.Configuration;

namespace Rampart.Server.Monitoring;

/// <summary>
/// Bridges the connection layer to monitoring: every accepted connection is registered as a session (so
/// <c>rampart sessions kill</c> can abort it, whatever protocol serves it) and raised as an event, and so are
/// refusals, failed TLS handshakes and closes. Called on the accept path: it only updates memory and enqueues.
/// </summary>
public sealed class MonitoringConnectionObserver : IConnectionObserver
{
    private readonly SecurityMonitor monitor;

    public MonitoringConnectionObserver(SecurityMonitor monitor) => this.monitor = monitor;

    public void ConnectionAccepted(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var protocol = ProtocolOf(connection.ListenerName);
        var tls = connection.IsTls ? connection.TlsProtocol.ToString() : null;
        monitor.Sessions.Register(connection.Id, protocol, connection.ListenerName, connection.RemoteEndPoint.Address, DateTimeOffset.UtcNow, tls, connection.Abort);
        monitor.Events.Raise(new ConnectionAccepted
        {
            Protocol = protocol,
            Listener = connection.ListenerName,
            Port = connection.LocalEndPoint.Port,
            SessionId = connection.Id,
            ClientIp = connection.RemoteEndPoint.Address,
            TlsVersion = tls,
            TlsSuite = connection.CipherSuite?.ToString(),
        });
    }

    public void ConnectionClosed(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var session = monitor.Sessions.Unregister(connection.Id);
        monitor.Events.Raise(new ConnectionClosed
        {
            Protocol = ProtocolOf(connection.ListenerName),
            Listener = connection.ListenerName,
            Port = connection.LocalEndPoint.Port,
            SessionId = connection.Id,
            ClientIp = connection.RemoteEndPoint.Address,
            User = session?.User,
            TlsVersion = connection.IsTls ? connection.TlsProtocol.ToString() : null,
            BytesIn = session?.BytesIn ?? 0,
            BytesOut = session?.BytesOut ?? 0,
            Duration = session is null ? TimeSpan.Zero : DateTimeOffset.UtcNow - session.Since,
        });
    }

    public void ConnectionRefused(string listenerName, IPEndPoint remote, ConnectionRefusal reason)
    {
        ArgumentNullException.ThrowIfNull(remote);
        monitor.Events.Raise(new ConnectionRefused
        {
            Protocol = ProtocolOf(listenerName),
            Listener = listenerName,
            ClientIp = remote.Address,
            Reason = reason switch
            {
                ConnectionRefusal.AccessDenied => "access-denied",
                ConnectionRefusal.BadProxyHeader => "bad-proxy-header",
                ConnectionRefusal.PerIpLimit => "per-ip-limit",
                ConnectionRefusal.TotalLimit => "total-limit",
                ConnectionRefusal.Banned => "banned",
                _ => reason.ToString(),
            },
        });
    }

    public void TlsHandshakeFailed(string listenerName, IPEndPoint remote, string reason)
    {
        ArgumentNullException.ThrowIfNull(remote);
        monitor.Events.Raise(new TlsHandshakeFailed
        {
            Protocol = ProtocolOf(listenerName),
            Listener = listenerName,
            ClientIp = remote.Address,
            Reason = reason,
        });
    }

    /// <summary>SECURITY.md S01/L03: plaintext pipelined after STARTTLS/STLS is an injection attempt; audited with its
    /// size only. Raised here for every protocol (IMAP, POP3, SMTP), since the connection reports it itself.</summary>
    public void StartTlsPlaintextDiscarded(Connection connection, long bytes)
    {
        ArgumentNullException.ThrowIfNull(connection);
        monitor.Events.Raise(new StartTlsInjection
        {
            Protocol = ProtocolOf(connection.ListenerName),
            Listener = connection.ListenerName,
            Port = connection.LocalEndPoint.Port,
            SessionId = connection.Id,
            ClientIp = connection.RemoteEndPoint.Address,
            DiscardedBytes = bytes,
            Reason = "plaintext after STARTTLS",
        });
    }

    private static string ProtocolOf(string listenerName) => ListenerCatalog.Find(listenerName)?.Protocol ?? listenerName;
}
