using System.IO.Pipelines;
using System.Net;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Tests.Support;

/// <summary>An in-memory <see cref="IPop3Transport"/>. STLS is simulated: the handshake is skipped, but the
/// plaintext the client sent before it is dropped exactly as the real connection drops it (a new input pipe).</summary>
public sealed class PipeTransport : IPop3Transport
{
    private readonly TaskCompletionSource _tlsStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Pipe _toServer = new();
    private readonly Pipe _toClient = new();

    public PipeTransport(bool implicitTls, bool allowStartTls)
    {
        IsTls = implicitTls;
        AllowStartTls = allowStartTls;
    }

    public string Id { get; } = Guid.NewGuid().ToString("N")[..12];

    public PipeReader Input => _toServer.Reader;

    public PipeWriter Output => _toClient.Writer;

    /// <summary>What the client writes to (replaced at STLS).</summary>
    public PipeWriter ClientWriter => _toServer.Writer;

    public PipeReader ClientReader => _toClient.Reader;

    public bool IsTls { get; private set; }

    public bool AllowStartTls { get; }

    public bool CanStartTls => !IsTls && AllowStartTls;

    /// <summary>A fixed stand-in for tls-server-end-point once "TLS" is on, so SCRAM-SHA-256-PLUS is offered as on a real TLS connection.</summary>
    public byte[]? ChannelBinding => IsTls ? FakeBinding : null;

    private static readonly byte[] FakeBinding = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    public IPAddress? RemoteAddress => IPAddress.Loopback;

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public bool Authenticated { get; private set; }

    public Task TlsStarted => _tlsStarted.Task;

    public async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        await Output.FlushAsync(cancellationToken);
        var old = _toServer;
        _toServer = new Pipe();
        // Whatever the client pipelined after STLS is in the old pipe: it goes with it.
        await old.Reader.CompleteAsync();
        IsTls = true;
        _tlsStarted.TrySetResult();
    }

    public void MarkAuthenticated() => Authenticated = true;
}
