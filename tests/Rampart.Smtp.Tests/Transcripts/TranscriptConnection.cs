using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Rampart.Smtp.Tests.Transcripts;

/// <summary>A client connection of a transcript: TCP, optionally TLS from the start or after STARTTLS, read a line at a time.</summary>
public sealed class TranscriptConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private Stream _stream;

    private TranscriptConnection(TcpClient client, Stream stream)
    {
        _client = client;
        _stream = stream;
    }

    public static async Task<TranscriptConnection> ConnectAsync(int port, bool implicitTls)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var connection = new TranscriptConnection(client, client.GetStream());
        if (implicitTls)
        {
            await connection.StartTlsAsync();
        }

        return connection;
    }

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>The next line without CRLF, or null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        var line = new List<byte>();
        var one = new byte[1];
        try
        {
            while (true)
            {
                // One octet at a time: nothing after the line is consumed, so STARTTLS can take over the stream.
                if (await _stream.ReadAsync(one) == 0)
                {
                    return line.Count == 0 ? null : Encoding.UTF8.GetString([.. line]);
                }

                if (one[0] == (byte)'\n')
                {
                    if (line.Count > 0 && line[^1] == (byte)'\r')
                    {
                        line.RemoveAt(line.Count - 1);
                    }

                    return Encoding.UTF8.GetString([.. line]);
                }

                line.Add(one[0]);
            }
        }
        catch (IOException)
        {
            return line.Count == 0 ? null : Encoding.UTF8.GetString([.. line]);
        }
    }

    public async Task StartTlsAsync()
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: true, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" });
        _stream = ssl;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
