using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Rampart.Net.Access;
using Rampart.Net.Options;
using Rampart.Net.Tls;

namespace Rampart.Net.Listeners;

/// <summary>
/// One client connection as the protocols see it: who it is (after PROXY), what TLS protects it, and the byte
/// pipes to read and write. <see cref="StartTlsAsync"/> is the STARTTLS/STLS upgrade primitive.
/// </summary>
/// <remarks>
/// <see cref="Input"/> reads the socket only when the protocol asks for data, and holds exactly the bytes it has
/// read and not consumed; nothing else buffers ahead. That is what makes discarding plaintext at STARTTLS
/// complete (RFC 9051 §6.2.1, RFC 2595 §3.1, SECURITY.md S01–S03). Reads and writes are not thread-safe: one
/// reader and one writer at a time, as a protocol session naturally is.
/// </remarks>
public sealed class Connection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private readonly TlsServer? _tls;
    private readonly ConnectionLease? _lease;
    private readonly IConnectionObserver _observer;
    private readonly CancellationTokenSource _closed = new();
    private IdleTimeoutPipeReader _input;
    private PipeWriter _output;
    private SslStream? _ssl;
    private int _disposed;

    internal Connection(
        Socket socket,
        NetworkStream network,
        string listenerName,
        ListenerOptions listener,
        IPEndPoint remoteEndPoint,
        IPEndPoint localEndPoint,
        TlsServer? tls,
        ConnectionLease? lease,
        TimeSpan idleTimeout,
        IConnectionObserver observer)
    {
        _socket = socket;
        _network = network;
        _tls = tls;
        _lease = lease;
        _observer = observer;
        Id = NewId();
        ListenerName = listenerName;
        TlsMode = listener.Tls;
        Alpn = listener.Alpn;
        ClientCertificateMode = listener.ClientCertificates.Mode;
        RemoteEndPoint = remoteEndPoint;
        LocalEndPoint = localEndPoint;
        IdleTimeout = idleTimeout;
        _input = new IdleTimeoutPipeReader(PipeReader.Create(network, new StreamPipeReaderOptions(leaveOpen: true)), this);
        _output = PipeWriter.Create(network, new StreamPipeWriterOptions(leaveOpen: true));
    }

    /// <summary>Whether this listener asks TLS clients for a certificate (for SASL EXTERNAL).</summary>
    public ClientCertificateMode ClientCertificateMode { get; }

    /// <summary>A short random id (12 hex digits) that ties log and audit lines of one connection together.</summary>
    public string Id { get; }

    /// <summary>The configured name of the listener that accepted it ("imaps", "submission", …).</summary>
    public string ListenerName { get; }

    /// <summary>The listener's TLS mode.</summary>
    public TlsMode TlsMode { get; }

    /// <summary>The listener's ALPN id, if any.</summary>
    public string? Alpn { get; }

    /// <summary>The client: the PROXY v2 source when a trusted proxy sent one, else the socket peer.
    /// IPv4-mapped IPv6 addresses are given as IPv4.</summary>
    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>The local address the client connected to (the PROXY v2 destination when given).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Whether TLS protects the connection now.</summary>
    public bool IsTls => _ssl is not null;

    /// <summary>The negotiated TLS version, or <see cref="SslProtocols.None"/>.</summary>
    public SslProtocols TlsProtocol { get; private set; }

    /// <summary>The negotiated suite, or null without TLS.</summary>
    public TlsCipherSuite? CipherSuite { get; private set; }

    /// <summary>The SNI host name the client asked for, or null.</summary>
    public string? ServerName { get; private set; }

    /// <summary>The ALPN protocol agreed in the handshake, or null when the client offered none.</summary>
    public string? ApplicationProtocol { get; private set; }

    /// <summary>The client certificate, when one was requested and sent (not validated here).</summary>
    public X509Certificate2? ClientCertificate { get; private set; }

    /// <summary>RFC 5929 tls-server-end-point channel binding for SCRAM-*-PLUS, or null without TLS.</summary>
    public byte[]? ChannelBindingServerEndPoint { get; private set; }

    /// <summary>The server certificate this connection was served, or null without TLS.</summary>
    public X509Certificate2? ServerCertificate { get; private set; }

    /// <summary>
    /// Longest silence allowed between reads; an expired read aborts the connection and throws
    /// <see cref="ConnectionIdleTimeoutException"/>. Starts at <see cref="ConnectionLimitOptions.PreAuthIdleTimeout"/>;
    /// the protocol raises it after login. <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; }

    /// <summary>Whether <see cref="MarkAuthenticated"/> was called.</summary>
    public bool IsAuthenticated { get; private set; }

    /// <summary>Cancelled when the connection is aborted or disposed.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Bytes from the client. Replaced by <see cref="StartTlsAsync"/>: read this property again after it.</summary>
    public PipeReader Input => _input;

    /// <summary>Bytes to the client; flush to send. Replaced by <see cref="StartTlsAsync"/>.</summary>
    public PipeWriter Output => _output;

    /// <summary>Tells the connection layer that the client logged in: it no longer counts against the per-IP
    /// pre-authentication limit.</summary>
    public void MarkAuthenticated()
    {
        IsAuthenticated = true;
        _lease?.ReleasePreAuth();
    }

    /// <summary>
    /// Upgrades to TLS after the protocol has sent its "go ahead" reply. Every plaintext byte already received and
    /// not consumed is discarded (a command pipelined after STARTTLS is never run), the handshake runs on the
    /// socket within the handshake timeout, and <see cref="Input"/>/<see cref="Output"/> are replaced by pipes
    /// over the TLS stream.
    /// </summary>
    /// <exception cref="InvalidOperationException">TLS is already on, or the listener has no TLS.</exception>
    /// <exception cref="TlsHandshakeException">The handshake failed or timed out; the connection is aborted.</exception>
    public async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        if (_ssl is not null)
        {
            throw new InvalidOperationException("TLS is already active on this connection.");
        }

        if (_tls is null)
        {
            throw new InvalidOperationException($"Listener {ListenerName} has no TLS configuration.");
        }

        // The "go ahead" reply must reach the client in plaintext before the handshake.
        await _output.FlushAsync(cancellationToken);

        // Anything the client sent after the STARTTLS line and before the handshake is plaintext an attacker on the
        // path may have injected (S01/S02). It is dropped by the upgrade; its size (never its content) is reported.
        DiscardedPlaintextBytes = _input.Unconsumed;
        if (DiscardedPlaintextBytes > 0)
        {
            _observer.StartTlsPlaintextDiscarded(this, DiscardedPlaintextBytes);
        }

        await UpgradeAsync(cancellationToken);
    }

    /// <summary>How many plaintext bytes <see cref="StartTlsAsync"/> discarded (received after the STARTTLS/STLS
    /// command, before the handshake); 0 before it or when the client waited as it must. Every protocol gets it for
    /// free: the connection reports it to <see cref="IConnectionObserver.StartTlsPlaintextDiscarded"/> itself.</summary>
    public long DiscardedPlaintextBytes { get; private set; }

    /// <summary>Closes the socket at once; pending reads and writes fail. Safe to call more than once.</summary>
    public void Abort()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }

    /// <summary>Flushes nothing, closes everything, and releases the connection's place in the limits.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _input.CompleteAsync();
        await _output.CompleteAsync();
        if (_ssl is not null)
        {
            await _ssl.DisposeAsync();
        }

        await _network.DisposeAsync();
        Abort();
        _lease?.Dispose();
        _closed.Dispose();
    }

    /// <summary>Runs the server handshake on the socket and swaps the pipes (implicit TLS and STARTTLS).</summary>
    internal async Task UpgradeAsync(CancellationToken cancellationToken)
    {
        await _output.CompleteAsync();
        // Completing the reader drops the plaintext it holds (S01: "B NOOP" after "A STARTTLS").
        await _input.CompleteAsync();
        try
        {
            var (ssl, certificate) = await _tls!.AuthenticateAsync(_network, Alpn, ClientCertificateMode, cancellationToken);
            _ssl = ssl;
            // Captured now so that they stay readable (for logs and audit) after the stream is disposed.
            TlsProtocol = ssl.SslProtocol;
            CipherSuite = ssl.NegotiatedCipherSuite;
            ServerName = string.IsNullOrEmpty(ssl.TargetHostName) ? null : ssl.TargetHostName;
            ApplicationProtocol = ssl.NegotiatedApplicationProtocol.Protocol.IsEmpty ? null : Encoding.ASCII.GetString(ssl.NegotiatedApplicationProtocol.Protocol.Span);
            ClientCertificate = ssl.RemoteCertificate as X509Certificate2;
            ServerCertificate = certificate.Certificate;
            ChannelBindingServerEndPoint = certificate.ChannelBinding;
        }
        catch (TlsHandshakeException ex)
        {
            _observer.TlsHandshakeFailed(ListenerName, RemoteEndPoint, ex.Message);
            Abort();
            throw;
        }

        _input = new IdleTimeoutPipeReader(PipeReader.Create(_ssl, new StreamPipeReaderOptions(leaveOpen: true)), this);
        _output = PipeWriter.Create(_ssl, new StreamPipeWriterOptions(leaveOpen: true));
    }

    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[6];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
