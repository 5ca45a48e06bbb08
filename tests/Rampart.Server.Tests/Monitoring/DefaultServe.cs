using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rampart.Monitoring.Audit;

namespace Rampart.Server.Tests.Monitoring;

/// <summary><c>rampart serve</c> with its default settings on a fresh data directory: only the default listeners
/// (IMAPS, POP3S, submissions) moved to 127.0.0.1:0 and the host name set, plus whatever a test adds. Exposes their
/// ports, the first account's password printed once, and the audit log.</summary>
public sealed partial class DefaultServe : IDisposable
{
    private RampartProcess? process;

    public DefaultServe(string name) => Data = Path.Combine(Path.GetTempPath(), $"rampart-{name}-" + Guid.NewGuid().ToString("N")[..8]);

    public const string HostName = "mail.test";

    public string Data { get; }

    public int Imaps { get; private set; }

    public int Pop3s { get; private set; }

    public int Submissions { get; private set; }

    /// <summary>The password of the account serve created on first start (<c>admin</c>).</summary>
    public string AdminPassword { get; private set; } = "";

    /// <summary>The settings serve runs with, as RAMPART__ environment variables (for CLI verbs that must see the same).</summary>
    public Dictionary<string, string> Environment { get; } = new()
    {
        ["RAMPART__HostName"] = HostName,
        ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
        ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
        ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
    };

    public RampartProcess Process => process ?? throw new InvalidOperationException("not started");

    /// <summary>Starts serve with <paramref name="settings"/> (keys without the RAMPART__ prefix) on top of the defaults.</summary>
    public void Start(IDictionary<string, string>? settings = null)
    {
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            Environment["RAMPART__" + key] = value;
        }

        process = RampartProcess.Start(["serve", "--data", Data], Environment);

        // The banner lists every listener before the first account's password.
        AdminPassword = Process.WaitForLine(l => l.Contains("password:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        foreach (var line in Process.Output.Split('\n'))
        {
            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                Ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }

        (Imaps, Pop3s, Submissions) = (Ports["imaps"], Ports["pop3s"], Ports["submissions"]);
    }

    /// <summary>Every listener's bound port by name (imaps, pop3s, submissions, and those a test turned on).</summary>
    public Dictionary<string, int> Ports { get; } = [];

    /// <summary>Runs a CLI verb on the data directory with serve's settings; returns exit code and output.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunAsync(string input, params string[] args)
    {
        using var verb = RampartProcess.StartRaw([.. args, "--data", Data], Environment);
        var output = verb.StandardOutput.ReadToEndAsync();
        var error = verb.StandardError.ReadToEndAsync();
        await verb.StandardInput.WriteAsync(input);
        verb.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await verb.WaitForExitAsync(timeout.Token);
        return (verb.ExitCode, await output, await error);
    }

    /// <summary>Stops serve (SIGTERM) and waits for a clean exit, so the audit log is flushed.</summary>
    public async Task StopAsync()
    {
        Process.Signal("TERM");
        Assert.Equal(0, await Process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    /// <summary>The audit lines, parsed (complete after <see cref="StopAsync"/>).</summary>
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
