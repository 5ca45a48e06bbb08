using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Rampart.Server.Tests.Support;

/// <summary>A raw line client for IMAP and POP3 over a real socket: implicit TLS or plaintext upgraded with
/// <see cref="StartTlsAsync"/>, optionally from another loopback source address (127.0.0.2, …) so one test can be
/// several clients. It reads byte by byte from its own buffer, so nothing read ahead survives a TLS upgrade unseen.</summary>
public sealed class WireClient : IAsyncDisposable
{
    private readonly TcpClient tcp;
    private readonly List<byte> pending = [];
    private Stream stream;

    private WireClient(TcpClient tcp, Stream stream)
    {
        this.tcp = tcp;
        this.stream = stream;
    }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> from <paramref name="source"/> (default 127.0.0.1).</summary>
    /// <param name="alpn">The protocol for implicit TLS (imap, pop3), or null for a plaintext connection.</param>
    public static async Task<WireClient> ConnectAsync(int port, string? alpn, string source = "127.0.0.1")
    {
        var tcp = new TcpClient(new IPEndPoint(IPAddress.Parse(source), 0));
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var client = new WireClient(tcp, tcp.GetStream());
        if (alpn is not null)
        {
            await client.HandshakeAsync(alpn);
        }

        return client;
    }

    /// <summary>Upgrades to TLS; the bytes read so far must all have been consumed as lines.</summary>
    public async Task StartTlsAsync(string alpn)
    {
        Assert.Empty(pending);
        await HandshakeAsync(alpn);
    }

    private async Task HandshakeAsync(string alpn)
    {
        var tls = new SslStream(stream, false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "mail.test", ApplicationProtocols = [new SslApplicationProtocol(alpn)] });
        stream = tls;
    }

    /// <summary>Sends raw text as one write (one TCP segment for short text).</summary>
    public async Task SendAsync(string text)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
        await stream.FlushAsync();
    }

    /// <summary>The next line without its CRLF; throws <see cref="IOException"/> at end of stream.</summary>
    public async Task<string> ReadLineAsync(TimeSpan? timeout = null) =>
        await TryReadLineAsync(timeout) ?? throw new IOException("the server closed the connection");

    /// <summary>The next line, or null when the server closed the connection (or reset it).</summary>
    public async Task<string?> TryReadLineAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var buffer = new byte[4096];
        while (true)
        {
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString([.. pending.Take(newline)]).TrimEnd('\r');
                pending.RemoveRange(0, newline + 1);
                return line;
            }

            int read;
            try
            {
                // One byte at a time: the server's next bytes may be a TLS handshake this client must not swallow.
                read = await stream.ReadAsync(buffer.AsMemory(0, 1), cancel.Token);
            }
            catch (IOException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            pending.Add(buffer[0]);
        }
    }

    /// <summary>Sends an IMAP command and returns its tagged reply, skipping untagged lines.</summary>
    public async Task<string> ImapAsync(string command)
    {
        var tag = command[..command.IndexOf(' ', StringComparison.Ordinal)];
        await SendAsync(command + "\r\n");
        while (true)
        {
            var line = await ReadLineAsync();
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return line;
            }
        }
    }

    /// <summary>Sends a POP3 command and returns its status line.</summary>
    public async Task<string> Pop3Async(string command)
    {
        await SendAsync(command + "\r\n");
        return await ReadLineAsync();
    }

    /// <summary>True when the server ends the connection within <paramref name="within"/> (reading and dropping what
    /// it sends meanwhile).</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await TryReadLineAsync(deadline - DateTime.UtcNow) is null)
                {
                    return true;
                }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        tcp.Dispose();
    }
}
