using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Rampart.Bench.Protocols.Clients;

/// <summary>A raw client connection over implicit TLS (RFC 8314) with its own read buffer: lighter than a full
/// client library, so that thousands of sessions fit beside the server on a small machine and the client's own
/// work stays small next to the server's.</summary>
internal sealed class WireConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private WireConnection(TcpClient tcp, SslStream tls)
    {
        _tcp = tcp;
        _tls = tls;
    }

    /// <summary>Octets received so far (after TLS), for MB/s figures.</summary>
    public long BytesReceived { get; private set; }

    /// <param name="port">The server's port on 127.0.0.1.</param>
    /// <param name="local">The client's own address (any of 127.0.0.0/8), so that one machine can play many clients
    /// for per-address limits and counters; the kernel's choice when null.</param>
    /// <param name="cancellationToken">Cancels the connect and the handshake.</param>
    /// <param name="nagle">Keep Nagle's algorithm on, as clients that never set TCP_NODELAY do (Python's imaplib).</param>
    public static async Task<WireConnection> ConnectAsync(int port, CancellationToken cancellationToken, IPAddress? local = null, bool nagle = false)
    {
        var tcp = local is null ? new TcpClient() : new TcpClient(new IPEndPoint(local, 0));
        tcp.NoDelay = !nagle;
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
            // Both servers use self-signed certificates; the benchmark measures the protocol, not the PKI.
            var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }, cancellationToken);
            return new WireConnection(tcp, tls);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    public async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        await _tls.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken);
        await _tls.FlushAsync(cancellationToken);
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _tls.WriteAsync(bytes, cancellationToken);
        await _tls.FlushAsync(cancellationToken);
    }

    /// <summary>Reads one line, CRLF removed, as Latin-1 (responses are ASCII apart from message data).</summary>
    public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = newline > 0 && span[newline - 1] == '\r' ? newline - 1 : newline;
                var line = Encoding.Latin1.GetString(span[..length]);
                _start += newline + 1;
                return line;
            }

            await FillAsync(cancellationToken);
        }
    }

    /// <summary>Skips exactly <paramref name="count"/> octets (an IMAP literal's content).</summary>
    public async Task SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken);
            }

            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
        }
    }

    /// <summary>Reads a POP3 multi-line response (RFC 1939 §3) up to and including its terminating
    /// <c>CRLF . CRLF</c>, without building strings; returns its size. The status line must have been read.</summary>
    public async Task<long> SkipMultiLineAsync(CancellationToken cancellationToken)
    {
        long total = 0;
        // The body starts right after the status line's CRLF, so an empty body is ".\r\n" at the start.
        var atLineStart = true;
        var state = 0; // 0: inside a line; 1: "." at line start; 2: ".\r"
        while (true)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken);
            }

            var span = _buffer.AsSpan(_start, _end - _start);
            for (var i = 0; i < span.Length; i++)
            {
                var b = span[i];
                if (state == 1)
                {
                    state = b == '\r' ? 2 : 0;
                }
                else if (state == 2)
                {
                    if (b == '\n')
                    {
                        _start += i + 1;
                        return total + i + 1;
                    }

                    state = 0;
                }
                else if (atLineStart && b == '.')
                {
                    state = 1;
                }

                atLineStart = b == '\n';
            }

            total += span.Length;
            _start = _end;
        }
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }

        var read = await _tls.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            throw new IOException("the server closed the connection");
        }

        _end += read;
        BytesReceived += read;
    }

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync();
        _tcp.Dispose();
    }
}
