using System.IO.Pipelines;
using System.Net;

namespace Rampart.Imap.Session;

/// <summary>What a session needs from its connection: the byte pipes, TLS facts and the STARTTLS upgrade.
/// A real <see cref="Rampart.Net.Listeners.Connection"/> provides it through <see cref="ConnectionTransport"/>;
/// tests run sessions over an in-memory pipe with their own implementation.</summary>
internal interface ISessionTransport
{
    /// <summary>Bytes from the client; re-read after <see cref="StartTlsAsync"/>.</summary>
    PipeReader Input { get; }

    /// <summary>Bytes to the client; re-read after <see cref="StartTlsAsync"/>.</summary>
    PipeWriter Output { get; }

    bool IsTls { get; }

    /// <summary>True when STARTTLS may be offered: the listener is plaintext with TLS available.</summary>
    bool CanStartTls { get; }

    /// <summary>RFC 5929 tls-server-end-point data, or null.</summary>
    byte[]? ChannelBinding { get; }

    IPAddress? RemoteAddress { get; }

    /// <summary>A short id for log lines.</summary>
    string Id { get; }

    TimeSpan IdleTimeout { get; set; }

    /// <summary>Upgrades to TLS, discarding buffered plaintext (SECURITY.md S01).</summary>
    Task StartTlsAsync(CancellationToken cancellationToken);

    void MarkAuthenticated();
}
