using System.Net.Security;
using System.Text;

namespace Rampart.Imap.Tests.TestSupport;

/// <summary>A raw IMAP client for transcripts: sends bytes, reads CRLF lines, and can switch to TLS (STARTTLS).</summary>
internal sealed class LineClient : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(15);
    private readonly List<byte> _pending = [];
    private readonly byte[] _buffer = new byte[16 * 1024];
    private Stream _stream;
    private int _start;
    private int _end;

    public LineClient(Stream stream) => _stream = stream;

    public async Task SendAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>The next line without CRLF, or null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        while (true)
        {
            for (var i = _start; i < _end; i++)
            {
                if (_buffer[i] == '\n')
                {
                    _pending.AddRange(_buffer.AsSpan(_start, i - _start + 1).ToArray());
                    _start = i + 1;
                    var line = Encoding.UTF8.GetString(_pending.ToArray()).TrimEnd('\n').TrimEnd('\r');
                    _pending.Clear();
                    return line;
                }
            }

            _pending.AddRange(_buffer.AsSpan(_start, _end - _start).ToArray());
            _start = _end = 0;
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer, timeout.Token);
            }
            catch (IOException)
            {
                read = 0;
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("no line from the server within " + ReadTimeout);
            }

            if (read == 0)
            {
                return null;
            }

            _end = read;
        }
    }

    /// <summary>Starts TLS on the same socket (after the server's STARTTLS OK); nothing may be buffered.</summary>
    public async Task StartTlsAsync()
    {
        if (_start != _end)
        {
            throw new InvalidOperationException("plaintext bytes after the STARTTLS reply");
        }

        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" });
        _stream = ssl;
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();
}
