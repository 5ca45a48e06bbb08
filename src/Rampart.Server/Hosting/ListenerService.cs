using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rampart.Net.Access;
using Rampart.Net.Listeners;
using Rampart.Net.Options;
using Rampart.Net.Tls;
using Rampart.Server.Configuration;

namespace Rampart.Server.Hosting;

/// <summary>Binds every enabled listener when the host starts — all or none: if one cannot bind, those already
/// bound are closed and start fails with the listener's one-line reason — and stops them when it stops.</summary>
public sealed class ListenerService : IHostedService, IAsyncDisposable
{
    private readonly ServerConfiguration configuration;
    private readonly ConnectionGate gate;
    private readonly TlsServer tls;
    private readonly ProtocolHandlers handlers;
    private readonly ILoggerFactory loggerFactory;
    private readonly IConnectionObserver observer;
    private readonly List<ConnectionListener> listeners = [];

    public ListenerService(ServerConfiguration configuration, ConnectionGate gate, TlsServer tls, ProtocolHandlers handlers, ILoggerFactory loggerFactory, IConnectionObserver? observer = null)
    {
        this.observer = observer ?? NullConnectionObserver.Instance;
        this.configuration = configuration;
        this.gate = gate;
        this.tls = tls;
        this.handlers = handlers;
        this.loggerFactory = loggerFactory;
    }

    /// <summary>The listeners bound, with their real endpoints.</summary>
    public IReadOnlyList<ConnectionListener> Listeners => listeners;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var resolved in configuration.Listeners.Where(l => l.Enabled))
        {
            var options = new ListenerOptions
            {
                Endpoint = resolved.EndPoint.ToString(),
                Enabled = true,
                Tls = resolved.Security,
                Alpn = resolved.Definition.Protocol is "imap" or "pop3" or "smtp" ? resolved.Definition.Protocol : null,
                // SASL EXTERNAL: the listener's client-certificate request (off unless configured).
                ClientCertificates = configuration.Options.Listeners.GetValueOrDefault(resolved.Name)?.ClientCertificates ?? new(),
            };
            var listener = new ConnectionListener(
                resolved.Name,
                options,
                gate,
                resolved.Security == TlsMode.None ? null : tls,
                handlers.For(resolved.Definition.Protocol),
                loggerFactory.CreateLogger("Rampart.Listener." + resolved.Name),
                observer)
            {
                // Server-wide rules added with `rampart access deny --protocol P` apply to this protocol's listeners (I01).
                Protocol = resolved.Definition.Protocol,
            };
            try
            {
                listener.Start();
            }
            catch (ListenerException)
            {
                await listener.DisposeAsync();
                await StopAsync(cancellationToken);
                throw;
            }

            listeners.Add(listener);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(listeners.Select(l => l.StopAsync(cancellationToken)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in listeners)
        {
            await listener.DisposeAsync();
        }

        listeners.Clear();
    }
}
