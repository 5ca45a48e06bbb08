using System.IO.Pipelines;
using System.Net;
using Rampart.Net.Listeners;
using Rampart.Net.Options;

namespace Rampart.Pop3.Session;

/// <summary>The <see cref="IPop3Transport"/> over a real <see cref="Connection"/>.</summary>
public sealed class ConnectionTransport : IPop3Transport
{
    private readonly Connection _connection;

    public ConnectionTransport(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
    }

    public string Id => _connection.Id;

    public PipeReader Input => _connection.Input;

    public PipeWriter Output => _connection.Output;

    public bool IsTls => _connection.IsTls;

    public bool CanStartTls => !_connection.IsTls && _connection.TlsMode == TlsMode.StartTls;

    public byte[]? ChannelBinding => _connection.ChannelBindingServerEndPoint;

    public IPAddress? RemoteAddress => _connection.RemoteEndPoint.Address;

    public TimeSpan IdleTimeout
    {
        get => _connection.IdleTimeout;
        set => _connection.IdleTimeout = value;
    }

    public Task StartTlsAsync(CancellationToken cancellationToken) => _connection.StartTlsAsync(cancellationToken);

    public void MarkAuthenticated() => _connection.MarkAuthenticated();
}
