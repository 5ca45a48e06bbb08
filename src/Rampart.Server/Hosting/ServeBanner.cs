using System.Net;
using Rampart.Net.Listeners;
using Rampart.Server.Configuration;

namespace Rampart.Server.Hosting;

/// <summary>What <c>serve</c> prints on standard output once it listens: where, and on a first start the new
/// account with ready-to-paste lines to connect.</summary>
public sealed class ServeBanner
{
    private readonly TextWriter output;
    private readonly ServerConfiguration configuration;
    private readonly DataDirectory data;
    private readonly IReadOnlyList<ConnectionListener> listeners;
    private readonly ProtocolHandlers handlers;

    public ServeBanner(TextWriter output, ServerConfiguration configuration, DataDirectory data, IReadOnlyList<ConnectionListener> listeners, ProtocolHandlers handlers)
    {
        this.output = output;
        this.configuration = configuration;
        this.data = data;
        this.listeners = listeners;
        this.handlers = handlers;
    }

    public async Task WriteAsync((string Name, string Password)? firstAccount)
    {
        await output.WriteLineAsync($"rampart is running (data {data.Path})");
        foreach (var listener in listeners)
        {
            var definition = ListenerCatalog.Find(listener.Name)!;
            var note = handlers.IsAvailable(definition.Protocol) ? string.Empty : $"  ({definition.Protocol.ToUpperInvariant()} is not available in this build yet: clients get a protocol error after TLS)";
            await output.WriteLineAsync($"  listening {listener.Name,-12} {listener.LocalEndPoint}{note}");
        }

        if (firstAccount is not { } account)
        {
            return;
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync("A first account was created (this is shown once):");
        await output.WriteLineAsync($"  account:  {account.Name}");
        await output.WriteLineAsync($"  password: {account.Password}");
        await output.WriteLineAsync($"  change it with: rampart user passwd {account.Name} --data {data.Path}");
        await output.WriteLineAsync();
        await output.WriteLineAsync("Connect (the certificate is self-signed until you configure one):");
        foreach (var listener in listeners)
        {
            var definition = ListenerCatalog.Find(listener.Name)!;
            var endpoint = Reachable(listener.LocalEndPoint!);
            var scheme = definition.Name switch
            {
                "imaps" => "imaps",
                "pop3s" => "pop3s",
                "submissions" => "smtps",
                _ => null,
            };
            if (scheme is null)
            {
                continue;
            }

            await output.WriteLineAsync($"  {definition.Name,-12} openssl s_client -quiet -connect {endpoint} -servername {configuration.HostName}");
            await output.WriteLineAsync($"  {string.Empty,-12} curl --insecure --user '{account.Name}:{account.Password}' {scheme}://{endpoint}/");
        }
    }

    // A wildcard bind is reached on loopback from this machine.
    private static string Reachable(IPEndPoint endpoint) =>
        endpoint.Address.Equals(IPAddress.Any) ? $"127.0.0.1:{endpoint.Port}"
        : endpoint.Address.Equals(IPAddress.IPv6Any) ? $"[::1]:{endpoint.Port}"
        : endpoint.ToString();
}
