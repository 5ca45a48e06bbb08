using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rampart.Monitoring.Audit;

namespace Rampart.Server.Tests.Support;

/// <summary><c>rampart serve</c> on a fresh data directory with every listener on 127.0.0.1:0 (the plaintext IMAP and
/// POP3 listeners too), its ports, the CLI against the same data directory, and the audit log once it stopped.</summary>
public sealed partial class RunningServer : IDisposable
{
    private RampartProcess? process;

    public RunningServer(string name) => Data = Path.Combine(Path.GetTempPath(), $"rampart-{name}-" + Guid.NewGuid().ToString("N")[..8]);

    public string Data { get; }

    public int Imaps { get; private set; }

    public int Imap { get; private set; }

    public int Pop3s { get; private set; }

    public int Pop3 { get; private set; }

    public RampartProcess Process => process ?? throw new InvalidOperationException("not started");

    /// <summary>Runs a CLI verb on the data directory; fails the test on a non-zero exit.</summary>
    public async Task<string> CliAsync(string input, params string[] args)
    {
        var result = await RampartProcess.RunAsync(input, [.. args, "--data", Data]);
        Assert.True(result.ExitCode == 0, string.Join(' ', args) + ": " + result.Error + result.Output);
        return result.Output;
    }

    /// <summary>Starts serve with <paramref name="settings"/> (RAMPART__ variables without the prefix) on top.</summary>
    public void Start(IDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["RAMPART__HostName"] = "mail.test",
            ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__imap__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__imap__Enabled"] = "true",
            ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__pop3__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__pop3__Enabled"] = "true",
            ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment["RAMPART__" + key] = value;
        }

        process = RampartProcess.Start(["serve", "--data", Data], environment);
        var ports = new Dictionary<string, int>();
        while (!(ports.ContainsKey("imaps") && ports.ContainsKey("imap") && ports.ContainsKey("pop3s") && ports.ContainsKey("pop3")))
        {
            var match = ListeningLine().Match(Process.WaitForLine(l => ListeningLine().IsMatch(l)));
            ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        Imaps = ports["imaps"];
        Imap = ports["imap"];
        Pop3s = ports["pop3s"];
        Pop3 = ports["pop3"];
    }

    /// <summary>Stops serve (SIGTERM) and waits for a clean exit, so the audit log is flushed.</summary>
    public async Task StopAsync()
    {
        Process.Signal("TERM");
        Assert.Equal(0, await Process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    /// <summary>The audit lines (after <see cref="StopAsync"/>), parsed.</summary>
    public IReadOnlyList<JsonElement> AuditLines() =>
        [.. File.ReadAllLines(Path.Combine(Data, "audit", AuditChain.CurrentFileName))
            .Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    public static string? Field(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString()) : null;

    public void Dispose()
    {
        process?.Dispose();
        try
        {
            Directory.Delete(Data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [GeneratedRegex(@"^\s*listening\s+(\S+)\s+127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
