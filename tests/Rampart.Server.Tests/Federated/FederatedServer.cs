using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rampart.Monitoring.Audit;

namespace Rampart.Server.Tests.Federated;

/// <summary><c>rampart serve</c> on a fresh data directory with IMAPS and POP3S on 127.0.0.1:0, the guard's delays
/// shortened (so that a dozen refused tokens do not take minutes), and the settings a test adds.</summary>
public sealed partial class FederatedServer : IDisposable
{
    private RampartProcess? _process;

    public FederatedServer(string name) => Data = Path.Combine(Path.GetTempPath(), $"rampart-{name}-" + Guid.NewGuid().ToString("N")[..8]);

    public string Data { get; }

    public int Imaps { get; private set; }

    public int Pop3s { get; private set; }

    public RampartProcess Process => _process ?? throw new InvalidOperationException("not started");

    public async Task<string> CliAsync(string input, params string[] args)
    {
        var result = await RampartProcess.RunAsync(input, [.. args, "--data", Data]);
        Assert.True(result.ExitCode == 0, string.Join(' ', args) + ": " + result.Error + result.Output);
        return result.Output;
    }

    public void Start(IDictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["RAMPART__HostName"] = "mail.test",
            ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Security__Guard__FirstDelay"] = "00:00:00.010",
            ["RAMPART__Security__Guard__MaxDelay"] = "00:00:00.020",
            ["RAMPART__Security__Guard__BanThreshold"] = "1000",
            ["RAMPART__Security__Guard__AccountThrottleThreshold"] = "1000",
        };
        foreach (var (key, value) in settings)
        {
            environment["RAMPART__" + key] = value;
        }

        _process = RampartProcess.Start(["serve", "--data", Data], environment);
        var ports = new Dictionary<string, int>();
        while (!(ports.ContainsKey("imaps") && ports.ContainsKey("pop3s")))
        {
            var match = ListeningLine().Match(Process.WaitForLine(l => ListeningLine().IsMatch(l)));
            ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        Imaps = ports["imaps"];
        Pop3s = ports["pop3s"];
    }

    public async Task StopAsync()
    {
        Process.Signal("TERM");
        Assert.Equal(0, await Process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    public string AuditText() => File.ReadAllText(Path.Combine(Data, "audit", AuditChain.CurrentFileName));

    /// <summary>The authentication audit lines: kind, protocol, user, mechanism, reason.</summary>
    public IReadOnlyList<(string? Kind, string? Protocol, string? User, string? Mechanism, string? Reason)> AuthLines() =>
        [.. AuditText().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.GetProperty("kind").GetString() is "auth.success" or "auth.failure")
            .Select(l => (l.GetProperty("kind").GetString(), Field(l, "protocol"), Field(l, "user"), Field(l, "mechanism"), Field(l, "reason")))];

    private static string? Field(JsonElement line, string name) => line.TryGetProperty(name, out var value) ? value.GetString() : null;

    public void Dispose()
    {
        _process?.Dispose();
        try
        {
            Directory.Delete(Data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [GeneratedRegex(@"listening (\S+)\s+127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
