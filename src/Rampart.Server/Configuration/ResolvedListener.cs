using System.Net;
using Rampart.Net.Options;

namespace Rampart.Server.Configuration;

/// <summary>A listener after defaults, the configuration file, environment overrides and <c>--port-offset</c> were applied.</summary>
public sealed record ResolvedListener(ListenerDefinition Definition, IPEndPoint EndPoint, bool Enabled, TlsMode Security)
{
    public string Name => Definition.Name;
}
