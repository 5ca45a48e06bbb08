using System.IO.Pipelines;
using System.Net;
using Rampart.Net.Listeners;
using Rampart.Net.Options;

namespace Rampart.Imap.Session;

/// <summary>A session transport over a listener's <see cref="Connection"/>.</summary>
internal sealed class ConnectionTransport : ISessionTransport
{
    private readonly Connection _connection;

    public ConnectionTransport(Connection connection) => _connection = connection;

    public PipeReader Input => _connection.Input;

    public PipeWriter Output => _connection.Output;

    public bool IsTls => _connection.IsTls;

    public bool CanStartTls => _connection.TlsMode == TlsMode.StartTls && !_connection.IsTls;

    public byte[]? ChannelBinding => _connection.ChannelBindingServerEndPoint;

    public IPAddress? RemoteAddress => _connection.RemoteEndPoint.Address;

    public string Id => _connection.Id;

    public TimeSpan IdleTimeout
    {
        get => _connection.IdleTimeout;
        set => _connection.IdleTimeout = value;
    }

    public Task StartTlsAsync(CancellationToken cancellationToken) => _connection.StartTlsAsync(cancellationToken);

    public void MarkAuthenticated() => _connection.MarkAuthenticated();
}
