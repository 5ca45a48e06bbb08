using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Net.Access;
using Rampart.Net.Listeners;
using Rampart.Net.Options;
using Rampart.Net.Tls;

namespace Rampart.Pop3.Tests.Transcripts;

/// <summary>A real <see cref="ConnectionListener"/> on 127.0.0.1 with the POP3 handler: implicit TLS (pop3s), or
/// plaintext with STLS (pop3), with a generated certificate.</summary>
public sealed class TcpTlsServer : ITranscriptServer
{
    private readonly string _directory;
    private readonly CertificateStore _certificates;
    private readonly ConnectionListener _listener;
    private readonly TrackingHandler _handler;
    private readonly bool _plaintext;
    private readonly List<Connection> _connections = [];

    private TcpTlsServer(Pop3Services services, bool plaintext, ConnectionLimitOptions? limits)
    {
        _plaintext = plaintext;
        _directory = Path.Combine(Path.GetTempPath(), "rampart-pop3-tls-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
        var tlsOptions = new TlsOptions();
        _certificates = new CertificateStore(tlsOptions, _directory, "localhost", NullLogger.Instance);
        _handler = new TrackingHandler(new Pop3ConnectionHandler(services, NullLogger.Instance));
        _listener = new ConnectionListener(
            plaintext ? "pop3" : "pop3s",
            new ListenerOptions { Endpoint = "127.0.0.1:0", Tls = plaintext ? TlsMode.StartTls : TlsMode.Implicit, Alpn = "pop3" },
            new ConnectionGate(new AccessOptions(), limits ?? new ConnectionLimitOptions()),
            new TlsServer(_certificates, tlsOptions),
            _handler,
            NullLogger.Instance);
        _listener.Start();
    }

    public int Port => _listener.LocalEndPoint!.Port;

    public static TcpTlsServer Start(Pop3Services services, bool plaintext, ConnectionLimitOptions? limits = null) => new(services, plaintext, limits);

    public async Task<ITranscriptConnection> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var port = ((System.Net.IPEndPoint)client.Client.LocalEndPoint!).Port;
        var connection = new Connection(client, _handler.SessionFor(port));
        if (!_plaintext)
        {
            await connection.StartTlsAsync();
        }

        _connections.Add(connection);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await _listener.DisposeAsync();
        _certificates.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Records when each server session ends, by the client's port.</summary>
    private sealed class TrackingHandler(IConnectionHandler inner) : IConnectionHandler
    {
        private readonly ConcurrentDictionary<int, TaskCompletionSource> _sessions = new();

        public Task SessionFor(int port) => _sessions.GetOrAdd(port, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public async Task HandleAsync(Rampart.Net.Listeners.Connection connection, CancellationToken cancellationToken)
        {
            var done = _sessions.GetOrAdd(connection.RemoteEndPoint.Port, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
            try
            {
                await inner.HandleAsync(connection, cancellationToken);
            }
            finally
            {
                done.TrySetResult();
            }
        }
    }

    private sealed class Connection(TcpClient client, Task session) : ITranscriptConnection
    {
        private readonly LineBuffer _lines = new();
        private readonly byte[] _buffer = new byte[16 * 1024];
        private Stream _stream = client.GetStream();

        public async Task SendAsync(byte[] bytes)
        {
            await _stream.WriteAsync(bytes);
            await _stream.FlushAsync();
        }

        public async Task<string?> ReadLineAsync()
        {
            while (true)
            {
                if (_lines.TryTake(out var line))
                {
                    return line;
                }

                int read;
                try
                {
                    read = await _stream.ReadAsync(_buffer);
                }
                catch (IOException)
                {
                    return null;
                }

                if (read == 0)
                {
                    return null;
                }

                _lines.Add(_buffer.AsSpan(0, read));
            }
        }

        public async Task StartTlsAsync()
        {
            // S03: nothing may follow the go-ahead in plaintext.
            Assert.Equal(0, _lines.Pending);
            var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: true);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = [new SslApplicationProtocol("pop3")],
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            _stream = ssl;
        }

        public async Task CloseAsync()
        {
            client.Close();
            await session.WaitAsync(TimeSpan.FromSeconds(10));
        }

        public ValueTask DisposeAsync()
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
