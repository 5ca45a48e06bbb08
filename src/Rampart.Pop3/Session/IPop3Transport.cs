using System.IO.Pipelines;
using System.Net;

namespace Rampart.Pop3.Session;

/// <summary>
/// What a POP3 session needs from its connection: the byte pipes, the TLS facts and the STLS upgrade. The real
/// one is <see cref="ConnectionTransport"/> over a <c>Rampart.Net</c> connection; tests replay transcripts over
/// an in-memory one.
/// </summary>
public interface IPop3Transport
{
    /// <summary>A short id for log lines.</summary>
    string Id { get; }

    /// <summary>Bytes from the client; read again after <see cref="StartTlsAsync"/>.</summary>
    PipeReader Input { get; }

    /// <summary>Bytes to the client; read again after <see cref="StartTlsAsync"/>.</summary>
    PipeWriter Output { get; }

    /// <summary>Whether TLS protects the connection now.</summary>
    bool IsTls { get; }

    /// <summary>Whether STLS is possible: a plaintext connection on a listener configured for it.</summary>
    bool CanStartTls { get; }

    /// <summary>RFC 5929 tls-server-end-point channel binding, or null.</summary>
    byte[]? ChannelBinding { get; }

    /// <summary>The client's address, for logs and SASL.</summary>
    IPAddress? RemoteAddress { get; }

    /// <summary>Longest silence allowed between client reads.</summary>
    TimeSpan IdleTimeout { get; set; }

    /// <summary>Flushes the go-ahead, drops buffered plaintext and runs the TLS handshake (RFC 2595 §4).</summary>
    Task StartTlsAsync(CancellationToken cancellationToken);

    /// <summary>Tells the connection layer the client has logged in.</summary>
    void MarkAuthenticated();
}
