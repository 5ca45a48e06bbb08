using System.IO.Compression;
using System.IO.Pipelines;
using System.Net;

namespace Rampart.Imap.Session;

/// <summary>COMPRESS=DEFLATE (RFC 4978): raw deflate (RFC 1951, no zlib or gzip framing) in both directions over
/// another transport. Every flush of <see cref="Output"/> ends with a sync flush, so each response reaches the client
/// whole (RFC 4978 §4: the sender flushes at the end of every response it expects to be read).</summary>
/// <remarks>The session's line and literal limits apply to the inflated bytes, as the session reads through
/// <see cref="Input"/>: a small compressed command that inflates past them is refused like any long line.</remarks>
internal sealed class DeflateTransport : ISessionTransport
{
    private readonly ISessionTransport _inner;

    public DeflateTransport(ISessionTransport inner)
    {
        _inner = inner;
        // Whatever the client sent after its COMPRESS command is still unread in the inner pipe: it is compressed
        // (RFC 4978 §3: compression starts right after the CRLF of the command), so it is read through the inflater.
        var inflater = new DeflateStream(inner.Input.AsStream(leaveOpen: true), CompressionMode.Decompress, leaveOpen: true);
        Input = PipeReader.Create(inflater, new StreamPipeReaderOptions(leaveOpen: true));
        var deflater = new DeflateStream(inner.Output.AsStream(leaveOpen: true), CompressionLevel.Fastest, leaveOpen: true);
        Output = PipeWriter.Create(deflater, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public bool IsTls => _inner.IsTls;

    public bool CanStartTls => false;

    public byte[]? ChannelBinding => _inner.ChannelBinding;

    public IPAddress? RemoteAddress => _inner.RemoteAddress;

    public string Id => _inner.Id;

    public TimeSpan IdleTimeout
    {
        get => _inner.IdleTimeout;
        set => _inner.IdleTimeout = value;
    }

    /// <summary>STARTTLS is refused after login, and COMPRESS runs only after login.</summary>
    public Task StartTlsAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("TLS cannot start inside COMPRESS.");

    public void MarkAuthenticated() => _inner.MarkAuthenticated();
}
