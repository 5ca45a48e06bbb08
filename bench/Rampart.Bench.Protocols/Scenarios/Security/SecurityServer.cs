using System.Globalization;
using System.Net;
using System.Text;
using Rampart.Bench.Protocols.Servers;

namespace Rampart.Bench.Protocols.Scenarios.Security;

/// <summary>A <c>rampart serve</c> of its own for one account-security scenario: a fresh data directory (bans and
/// counters of an earlier scenario must not leak in), the default connection and session limits (they are part of
/// what is measured), the admin listener on for <c>/metrics</c>, and the run's <c>--rampart-set</c> settings.</summary>
internal sealed class SecurityServer : IAsyncDisposable
{
    private readonly int _adminPort;

    private SecurityServer(RampartServer server, int adminPort)
    {
        Server = server;
        _adminPort = adminPort;
    }

    public RampartServer Server { get; }

    public static async Task<SecurityServer> StartAsync(ScenarioContext context, string name, int slot, IReadOnlyList<string> users, IReadOnlyDictionary<string, string> settings)
    {
        var offset = context.Options.RampartPortOffset + 100 * slot;
        var adminPort = offset + 943;
        var all = new Dictionary<string, string>(context.Options.RampartSettings)
        {
            ["Listeners:admin:Enabled"] = "true",
            ["Listeners:admin:Endpoint"] = "127.0.0.1:" + adminPort.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var server = new RampartServer(Path.Combine(context.Work, name), offset, all, raiseLimits: false);
        try
        {
            await server.CreateUsersAsync(users, CancellationToken.None);
            await server.StartAsync(CancellationToken.None);
            return new SecurityServer(server, adminPort);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The lines of the server's Prometheus metrics whose name starts with one of <paramref name="prefixes"/>
    /// and whose value is not zero: what the server itself says it refused, delayed and banned.</summary>
    public async Task<IReadOnlyList<string>> MetricsAsync(params string[] prefixes)
    {
        // The admin listener has a self-signed certificate, like the mail listeners; loopback only.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var text = await http.GetStringAsync(new Uri("https://127.0.0.1:" + _adminPort.ToString(CultureInfo.InvariantCulture) + "/metrics"));
            return [.. text.Split('\n').Where(l => prefixes.Any(p => l.StartsWith(p, StringComparison.Ordinal)) && !l.EndsWith(" 0", StringComparison.Ordinal))];
        }
        catch (HttpRequestException e)
        {
            return ["(metrics not read: " + e.Message + ")"];
        }
    }

    public static string CodeBlock(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        text.AppendLine("```");
        foreach (var line in lines)
        {
            text.AppendLine(line);
        }

        text.AppendLine("```");
        return text.ToString();
    }

    /// <summary>The <paramref name="index"/>-th client address: 127.0.0.2, 127.0.0.3, … (127.0.0.1 is left to the
    /// benchmark's own admin requests), then 127.0.1.2 and so on.</summary>
    public static IPAddress ClientAddress(int index) => new([127, 0, (byte)(index / 250), (byte)(2 + index % 250)]);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
