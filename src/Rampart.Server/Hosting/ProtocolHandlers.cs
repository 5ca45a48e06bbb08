using Rampart.Net.Listeners;

namespace Rampart.Server.Hosting;

/// <summary>Which <see cref="IConnectionHandler"/> serves each protocol. Protocols register here as they ship;
/// the others get <see cref="UnavailableProtocolHandler"/>.</summary>
public sealed class ProtocolHandlers
{
    private readonly Dictionary<string, IConnectionHandler> handlers = new(StringComparer.Ordinal);
    private readonly string hostName;

    public ProtocolHandlers(string hostName) => this.hostName = hostName;

    public void Register(string protocol, IConnectionHandler handler) => handlers[protocol] = handler;

    public bool IsAvailable(string protocol) => handlers.ContainsKey(protocol);

    public IConnectionHandler For(string protocol) =>
        handlers.TryGetValue(protocol, out var handler) ? handler : new UnavailableProtocolHandler(protocol, hostName);
}
