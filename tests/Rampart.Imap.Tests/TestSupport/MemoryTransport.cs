using System.IO.Pipelines;
using System.Net;
using Rampart.Imap.Session;

namespace Rampart.Imap.Tests.TestSupport;

/// <summary>A session transport over two in-memory pipes. It reports TLS as on: it stands for the inside of a
/// TLS connection, so that transcripts about commands need not repeat the TLS handshake.</summary>
internal sealed class MemoryTransport : ISessionTransport
{
    public Pipe ClientToServer { get; } = new();

    public Pipe ServerToClient { get; } = new();

    public PipeReader Input => ClientToServer.Reader;

    public PipeWriter Output => ServerToClient.Writer;

    public bool IsTls => true;

    public bool CanStartTls => false;

    public byte[]? ChannelBinding => null;

    public IPAddress? RemoteAddress => IPAddress.Loopback;

    public string Id => "memory";

    public TimeSpan IdleTimeout { get; set; }

    public bool Authenticated { get; private set; }

    public Task StartTlsAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("no TLS in memory");

    public void MarkAuthenticated() => Authenticated = true;

    /// <summary>The client's end as one duplex stream.</summary>
    public Stream ClientStream() => new DuplexStream(ServerToClient.Reader.AsStream(), ClientToServer.Writer.AsStream());

    private sealed class DuplexStream(Stream read, Stream write) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => write.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => write.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => read.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => read.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => read.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => write.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => write.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => write.WriteAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                write.Dispose();
                read.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
