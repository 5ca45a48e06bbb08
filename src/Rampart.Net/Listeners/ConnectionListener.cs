using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Rampart.Net.Access;
using Rampart.Net.Options;
using Rampart.Net.Proxy;
using Rampart.Net.Tls;

namespace Rampart.Net.Listeners;

/// <summary>
/// Binds one endpoint, accepts asynchronously, and admits each connection through the checks in this order:
/// global allow/deny (before any byte is sent), PROXY v2 from trusted peers only, the per-IP then total
/// connection limits, the implicit TLS handshake; then hands it to the protocol's <see cref="IConnectionHandler"/>.
/// </summary>
public sealed class ConnectionListener : IAsyncDisposable
{
    private readonly ListenerOptions _options;
    private readonly ConnectionGate _gate;
    private readonly TlsServer? _tls;
    private readonly IConnectionHandler _handler;
    private readonly IConnectionObserver _observer;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, Task> _open = new();
    private Socket? _socket;
    private Task _acceptLoop = Task.CompletedTask;

    /// <summary>Creates a listener; nothing is bound until <see cref="Start"/>.</summary>
    /// <param name="name">The configured name ("imaps", "pop3s", "submissions", …), used in logs and errors.</param>
    /// <param name="options">Endpoint, TLS mode and ALPN.</param>
    /// <param name="gate">The server-wide access lists and connection limits.</param>
    /// <param name="tls">Handshake runner; required unless <see cref="ListenerOptions.Tls"/> is <see cref="TlsMode.None"/>.</param>
    /// <param name="handler">The protocol.</param>
    /// <param name="logger">Logger for this listener.</param>
    /// <param name="observer">Security event sink; <see cref="NullConnectionObserver"/> when null.</param>
    public ConnectionListener(string name, ListenerOptions options, ConnectionGate gate, TlsServer? tls, IConnectionHandler handler, ILogger logger, IConnectionObserver? observer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(logger);
        if (options.Tls != TlsMode.None && tls is null)
        {
            throw new ArgumentException($"Listener {name} uses TLS mode {options.Tls} but no TLS server was given.", nameof(tls));
        }

        Name = name;
        _options = options;
        _gate = gate;
        _tls = tls;
        _handler = handler;
        _logger = logger;
        _observer = observer ?? NullConnectionObserver.Instance;
    }

    /// <summary>The listener's configured name.</summary>
    public string Name { get; }

    /// <summary>The protocol served ("imap", "pop3", "smtp", "lmtp"), which selects the per-protocol access rules
    /// checked at accept; "*" (the default) checks only the rules for every protocol.</summary>
    public string Protocol { get; init; } = "*";

    /// <summary>The bound endpoint (with the real port when the configured port was 0). Null before <see cref="Start"/>.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Connections currently being served or admitted by this listener.</summary>
    public int OpenConnections => _open.Count;

    /// <summary>Binds the endpoint and starts accepting in the background.</summary>
    /// <exception cref="ListenerException">The endpoint is invalid or cannot be bound; the message says why and how to fix it.</exception>
    public void Start()
    {
        if (_socket is not null)
        {
            throw new InvalidOperationException($"Listener {Name} is already started.");
        }

        IPEndPoint endpoint;
        try
        {
            endpoint = _options.GetEndPoint();
        }
        catch (FormatException ex)
        {
            throw new ListenerException($"{Name}: {ex.Message} (set RAMPART__Listeners__{Name}__Endpoint)", ex);
        }

        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any) || endpoint.Address.IsIPv4MappedToIPv6)
            {
                // [::] serves IPv4 clients too (and [::ffff:a.b.c.d] needs dual mode to bind at all); their
                // addresses arrive IPv4-mapped and are normalized.
                socket.DualMode = true;
            }

            socket.Bind(endpoint);
            socket.Listen(512);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ListenerException($"{Name}: cannot listen on {_options.Endpoint}: {Explain(Name, ex, endpoint)}", ex);
        }

        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _logger.LogInformation("Listener {Listener} on {Endpoint} (TLS: {TlsMode})", Name, LocalEndPoint, _options.Tls);
        _acceptLoop = AcceptLoopAsync(socket);
    }

    /// <summary>
    /// Stops accepting, signals the handlers through their cancellation token, and waits for them; connections
    /// still open when <paramref name="cancellationToken"/> fires are aborted.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        _socket?.Dispose();
        await _acceptLoop;
        try
        {
            await Task.WhenAll(_open.Values).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            foreach (var socket in _open.Keys)
            {
                socket.Dispose();
            }

            await Task.WhenAll(_open.Values);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await StopAsync(grace.Token);
        _stopping.Dispose();
    }

    private static string Explain(string name, SocketException ex, IPEndPoint endpoint) => ex.SocketErrorCode switch
    {
        SocketError.AccessDenied => endpoint.Port < 1024
            ? $"permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE; set RAMPART__Listeners__{name}__Endpoint=127.0.0.1:1{endpoint.Port:D4})"
            : "permission denied",
        SocketError.AddressAlreadyInUse => $"address already in use (another process listens on port {endpoint.Port})",
        SocketError.AddressNotAvailable => $"address {endpoint.Address} is not an address of this host",
        _ => ex.Message,
    };

    private async Task AcceptLoopAsync(Socket listenSocket)
    {
        // Yield so that Start returns before the first accept completes.
        await Task.Yield();
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listenSocket.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                // Out of file descriptors and similar: keep the listener alive, but do not spin.
                _logger.LogWarning("Listener {Listener}: accept failed: {Reason}", Name, ex.Message);
                await Task.Delay(100);
                continue;
            }

            _open[client] = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        // Run the admission off the accept loop.
        await Task.Yield();
        try
        {
            await AdmitAndRunAsync(client);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Listener {Listener}: connection failed unexpectedly", Name);
        }
        finally
        {
            client.Dispose();
            _open.TryRemove(client, out _);
        }
    }

    private async Task AdmitAndRunAsync(Socket client)
    {
        IPEndPoint peer;
        IPEndPoint local;
        try
        {
            client.NoDelay = true;
            peer = Normalize((IPEndPoint)client.RemoteEndPoint!);
            local = Normalize((IPEndPoint)client.LocalEndPoint!);
        }
        catch (SocketException)
        {
            return; // the peer already left
        }

        // 1. Global allow/deny on the socket peer, before a single byte is read or written (I01).
        if (_gate.Check(peer.Address, Protocol) is { } denied)
        {
            Refuse(peer, denied);
            return;
        }

        var network = new QuickAckNetworkStream(client);
        await using var networkScope = network;
        var remote = peer;

        // 2. PROXY v2, read only from trusted peers (I03): from anyone else those bytes are protocol input.
        if (_gate.IsProxyTrusted(peer.Address))
        {
            ProxyHeader header;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
            {
                timeout.CancelAfter(_gate.Access.ProxyHeaderTimeout);
                try
                {
                    header = await ProxyProtocolV2.ReadAsync(network, timeout.Token);
                }
                catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException or OperationCanceledException or SocketException)
                {
                    _logger.LogDebug("Listener {Listener}: bad PROXY header from {Peer}: {Reason}", Name, peer, ex.Message);
                    Refuse(peer, ConnectionRefusal.BadProxyHeader);
                    return;
                }
            }

            if (header is { IsLocal: false, Source: { } source })
            {
                remote = Normalize(source);
                local = header.Destination is { } destination ? Normalize(destination) : local;
                if (_gate.Check(remote.Address, Protocol) is { } proxiedDenied)
                {
                    Refuse(remote, proxiedDenied);
                    return;
                }
            }
        }

        // 3. Per-IP, then total limits.
        var lease = _gate.TryAcquire(remote.Address, out var refusal);
        if (lease is null)
        {
            Refuse(remote, refusal);
            return;
        }

        // A listener configured without TLS never offers an upgrade, even if a TLS server was passed.
        var tls = _options.Tls == TlsMode.None ? null : _tls;
        var connection = new Connection(client, network, Name, _options, remote, local, tls, lease, _gate.Limits.PreAuthIdleTimeout, _observer);
        await using (connection)
        {
            // 4. Implicit TLS, bounded by the handshake timeout (T07).
            if (_options.Tls == TlsMode.Implicit)
            {
                try
                {
                    await connection.UpgradeAsync(_stopping.Token);
                }
                catch (TlsHandshakeException ex)
                {
                    _logger.LogDebug("Listener {Listener}: {Remote}: {Reason}", Name, remote, ex.Message);
                    return;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            _observer.ConnectionAccepted(connection);
            try
            {
                await _handler.HandleAsync(connection, _stopping.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ConnectionIdleTimeoutException or ObjectDisposedException)
            {
                // The peer went away, timed out, or the server is stopping: normal ends of a session.
                _logger.LogDebug("Listener {Listener}: connection {Id} ended: {Reason}", Name, connection.Id, ex.Message);
            }
            finally
            {
                _observer.ConnectionClosed(connection);
            }
        }
    }

    private void Refuse(IPEndPoint remote, ConnectionRefusal reason)
    {
        // Debug level: a flood of refusals must not flood the log (L03); the observer counts them.
        _logger.LogDebug("Listener {Listener}: refused {Remote}: {Reason}", Name, remote, reason);
        _observer.ConnectionRefused(Name, remote, reason);
    }

    private static IPEndPoint Normalize(IPEndPoint endpoint) =>
        new(IPAddressNormalization.Normalize(endpoint.Address), endpoint.Port);
}
