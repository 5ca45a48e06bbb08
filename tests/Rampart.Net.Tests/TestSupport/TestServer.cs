using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Net.Access;
using Rampart.Net.Listeners;
using Rampart.Net.Options;
using Rampart.Net.Tls;

namespace Rampart.Net.Tests.TestSupport;

/// <summary>A real listener on 127.0.0.1, port 0, with the echo protocol and a generated certificate.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(ConnectionListener listener, CertificateStore certificates, LineEchoHandler handler, RecordingObserver observer, ConnectionGate gate)
    {
        Listener = listener;
        Certificates = certificates;
        Handler = handler;
        Observer = observer;
        Gate = gate;
    }

    public ConnectionListener Listener { get; }

    public CertificateStore Certificates { get; }

    public LineEchoHandler Handler { get; }

    public RecordingObserver Observer { get; }

    public ConnectionGate Gate { get; }

    public int Port => Listener.LocalEndPoint!.Port;

    public static TestServer Start(
        TestCertificates files,
        TlsMode mode = TlsMode.Implicit,
        string? alpn = null,
        Action<TlsOptions>? tls = null,
        Action<AccessOptions>? access = null,
        Action<ConnectionLimitOptions>? limits = null,
        string endpoint = "127.0.0.1:0")
    {
        var tlsOptions = new TlsOptions();
        tls?.Invoke(tlsOptions);
        var accessOptions = new AccessOptions();
        access?.Invoke(accessOptions);
        var limitOptions = new ConnectionLimitOptions();
        limits?.Invoke(limitOptions);
        var certificates = new CertificateStore(tlsOptions, Path.Combine(files.Directory, "generated"), "localhost", NullLogger.Instance);
        var gate = new ConnectionGate(accessOptions, limitOptions);
        var handler = new LineEchoHandler();
        var observer = new RecordingObserver();
        var listener = new ConnectionListener(
            "test",
            new ListenerOptions { Endpoint = endpoint, Tls = mode, Alpn = alpn },
            gate,
            new TlsServer(certificates, tlsOptions),
            handler,
            NullLogger.Instance,
            observer);
        listener.Start();
        return new TestServer(listener, certificates, handler, observer, gate);
    }

    public async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        return client;
    }

    /// <summary>Connects with TLS; any server certificate is accepted (the test checks it explicitly).</summary>
    public async Task<(TcpClient Tcp, SslStream Ssl)> ConnectTlsAsync(string? serverName = "localhost", SslProtocols protocols = SslProtocols.None, string[]? alpn = null)
    {
        var tcp = await ConnectAsync();
        var ssl = await ClientHandshakeAsync(tcp.GetStream(), serverName, protocols, alpn);
        return (tcp, ssl);
    }

    public static async Task<SslStream> ClientHandshakeAsync(Stream transport, string? serverName, SslProtocols protocols = SslProtocols.None, string[]? alpn = null)
    {
        var ssl = new SslStream(transport, leaveInnerStreamOpen: true);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = serverName ?? "",
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        };
        if (alpn is not null)
        {
            options.ApplicationProtocols = alpn.Select(a => new SslApplicationProtocol(a)).ToList();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await ssl.AuthenticateAsClientAsync(options, timeout.Token);
        return ssl;
    }

    /// <summary>Reads one CRLF line (ASCII); null at end of stream.</summary>
    public static async Task<string?> ReadLineAsync(Stream stream, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var n = await stream.ReadAsync(one, cts.Token);
            if (n == 0)
            {
                return bytes.Count == 0 ? null : Encoding.ASCII.GetString(bytes.ToArray());
            }

            if (one[0] == '\n')
            {
                return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
            }

            bytes.Add(one[0]);
        }
    }

    public static async Task WriteAsync(Stream stream, string text)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
        await stream.FlushAsync();
    }

    /// <summary>Reads until the server closes; returns what arrived (empty when nothing did).</summary>
    public static async Task<byte[]> ReadToCloseAsync(Stream stream, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        var all = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, cts.Token)) > 0)
            {
                all.Write(buffer, 0, n);
            }
        }
        catch (IOException)
        {
            // A reset is a close too.
        }

        return all.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        Certificates.Dispose();
    }
}
