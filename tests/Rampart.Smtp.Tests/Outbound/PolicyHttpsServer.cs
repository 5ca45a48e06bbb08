using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Rampart.Smtp.Tests.Outbound;

/// <summary>A small real HTTPS server on 127.0.0.1 serving <c>/.well-known/mta-sts.txt</c> (RFC 8461 §3.3): HTTP/1.1,
/// one request per connection, answer chosen by the test.</summary>
internal sealed class PolicyHttpsServer : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly X509Certificate2 certificate;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    private PolicyHttpsServer(X509Certificate2 certificate)
    {
        this.certificate = certificate;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>The policy served with 200 and text/plain.</summary>
    public string Policy { get; set; } = "";

    /// <summary>The status line sent instead of 200, e.g. "302 Found" (the body is then empty).</summary>
    public string? Status { get; set; }

    /// <summary>The Content-Type sent.</summary>
    public string ContentType { get; set; } = "text/plain";

    /// <summary>Each request line and Host header received.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static PolicyHttpsServer Start(X509Certificate2 certificate, string policy) => new(certificate) { Policy = policy };

    private bool disposed;

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        stop.Cancel();
        listener.Stop();
        try
        {
            await loop;
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException or OperationCanceledException)
        {
        }

        certificate.Dispose();
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await using var ssl = new SslStream(client.GetStream());
                        await ssl.AuthenticateAsServerAsync(certificate);
                        await ServeAsync(ssl);
                    }
                    catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
                    {
                        // The client refused our certificate, or went away.
                    }
                }
            });
        }
    }

    private async Task ServeAsync(Stream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && head.Length < 8192)
        {
            if (await stream.ReadAsync(buffer) == 0)
            {
                return;
            }

            head.Append((char)buffer[0]);
        }

        var lines = head.ToString().Split("\r\n");
        Requests.Enqueue(lines[0] + " | " + lines.FirstOrDefault(l => l.StartsWith("Host:", StringComparison.OrdinalIgnoreCase)));
        var body = Status is null ? Encoding.UTF8.GetBytes(Policy) : [];
        var response = $"HTTP/1.1 {Status ?? "200 OK"}\r\nContent-Type: {ContentType}\r\nContent-Length: {body.Length}\r\nLocation: https://elsewhere.test/\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }
}
