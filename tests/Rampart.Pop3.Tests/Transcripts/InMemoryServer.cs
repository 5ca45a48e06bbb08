using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Pop3.Session;
using Rampart.Pop3.Tests.Support;

namespace Rampart.Pop3.Tests.Transcripts;

/// <summary>Sessions on in-memory pipes: the session itself, without sockets or TLS.</summary>
public sealed class InMemoryServer(Pop3Services services, bool plaintext) : ITranscriptServer
{
    private readonly List<Connection> _connections = [];

    public Task<ITranscriptConnection> ConnectAsync()
    {
        var transport = new PipeTransport(implicitTls: !plaintext, allowStartTls: plaintext);
        var session = new Pop3Session(services, transport, NullLogger.Instance);
        var task = Task.Run(async () =>
        {
            try
            {
                await session.RunAsync(CancellationToken.None);
            }
            finally
            {
                await transport.Output.CompleteAsync();
            }
        });
        var connection = new Connection(transport, task);
        _connections.Add(connection);
        return Task.FromResult<ITranscriptConnection>(connection);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>The session task, to surface a session that threw.</summary>
    private sealed class Connection(PipeTransport transport, Task session) : ITranscriptConnection
    {
        private readonly LineBuffer _lines = new();

        public async Task SendAsync(byte[] bytes)
        {
            await transport.ClientWriter.WriteAsync(bytes);
        }

        public async Task<string?> ReadLineAsync()
        {
            while (true)
            {
                if (_lines.TryTake(out var line))
                {
                    return line;
                }

                var read = await transport.ClientReader.ReadAsync();
                foreach (var segment in read.Buffer)
                {
                    _lines.Add(segment.Span);
                }

                transport.ClientReader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted && read.Buffer.IsEmpty)
                {
                    await session; // a session that threw fails the test here
                    return null;
                }
            }
        }

        public Task StartTlsAsync() => transport.TlsStarted.WaitAsync(TimeSpan.FromSeconds(10));

        public async Task CloseAsync()
        {
            await transport.ClientWriter.CompleteAsync();
            await session.WaitAsync(TimeSpan.FromSeconds(10));
        }

        public async ValueTask DisposeAsync()
        {
            await transport.ClientWriter.CompleteAsync();
            await session.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
