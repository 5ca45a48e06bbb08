using System.Net;
using Rampart.Net.Access;

namespace Rampart.Net.Listeners;

/// <summary>Receives the security events of the connection layer (for the audit log and detectors).</summary>
/// <remarks>Called on the accept path: implementations must be fast and must not throw.</remarks>
public interface IConnectionObserver
{
    /// <summary>A connection passed every check and is handed to the protocol.</summary>
    void ConnectionAccepted(Connection connection)
    {
    }

    /// <summary>A connection was closed before reaching the protocol.</summary>
    /// <param name="listenerName">The listener.</param>
    /// <param name="remote">The client (after PROXY, when the header was read).</param>
    /// <param name="reason">Which check refused it.</param>
    void ConnectionRefused(string listenerName, IPEndPoint remote, ConnectionRefusal reason)
    {
    }

    /// <summary>A TLS handshake (implicit or STARTTLS) failed or timed out.</summary>
    void TlsHandshakeFailed(string listenerName, IPEndPoint remote, string reason)
    {
    }

    /// <summary>
    /// <see cref="Connection.StartTlsAsync"/> discarded plaintext the client sent after STARTTLS/STLS and before the
    /// handshake (RFC 9051 §6.2.1, RFC 2595 §3.1; SECURITY.md S01): a command-injection attempt or a broken client.
    /// Called by the connection itself, so IMAP, POP3 and SMTP report it without code of their own.
    /// </summary>
    /// <param name="connection">The connection, before the handshake.</param>
    /// <param name="bytes">How many bytes were discarded (more than 0); never their content.</param>
    void StartTlsPlaintextDiscarded(Connection connection, long bytes)
    {
    }

    /// <summary>The connection ended (after <see cref="ConnectionAccepted"/>).</summary>
    void ConnectionClosed(Connection connection)
    {
    }
}

/// <summary>An observer that ignores everything; the default until monitoring is wired in.</summary>
public sealed class NullConnectionObserver : IConnectionObserver
{
    /// <summary>The shared instance.</summary>
    public static NullConnectionObserver Instance { get; } = new();
}
