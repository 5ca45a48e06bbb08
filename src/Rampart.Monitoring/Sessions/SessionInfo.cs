using System.Net;

namespace Rampart.Monitoring.Sessions;

/// <summary>A snapshot of one live session for <c>rampart sessions list</c>.</summary>
/// <param name="Id">The connection id (<c>Connection.Id</c>), also the session id in audit lines.</param>
/// <param name="Protocol">imap, pop3, smtp, …</param>
/// <param name="Listener">The listener's name.</param>
/// <param name="ClientIp">The client address.</param>
/// <param name="Since">When the connection was accepted.</param>
/// <param name="TlsVersion">Tls12, Tls13, or null without TLS.</param>
/// <param name="User">The account once logged in, else null.</param>
/// <param name="ClientId">What the client said it is (IMAP ID), or null.</param>
/// <param name="BytesIn">Octets from the client, as reported by the protocol.</param>
/// <param name="BytesOut">Octets to the client, as reported by the protocol.</param>
public sealed record SessionInfo(
    string Id,
    string Protocol,
    string? Listener,
    IPAddress? ClientIp,
    DateTimeOffset Since,
    string? TlsVersion,
    string? User,
    string? ClientId,
    long BytesIn,
    long BytesOut);
