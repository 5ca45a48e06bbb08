using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rampart.Monitoring.Audit;

namespace Rampart.Server.Tests.Scram;

/// <summary><c>rampart serve</c> on a fresh data directory with IMAPS, POP3S and submissions on 127.0.0.1:0, alice's
/// account made by <c>rampart user add</c> under the same settings, and the guard's delays shortened (so that a dozen
/// refused exchanges take milliseconds, not minutes; the per-session failure limit stays at its default).</summary>
public abstract partial class ScramServer : IDisposable
{
    public const string Password = "Correct-Horse-9!xyzq";

    private readonly RampartProcess _process;

    protected ScramServer(IDictionary<string, string> settings)
    {
        Data = Path.Combine(Path.GetTempPath(), "rampart-scram-" + Guid.NewGuid().ToString("N")[..8]);
        Settings = new Dictionary<string, string>
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
            Settings["RAMPART__" + key] = value;
        }

        AddUser("alice", Settings);
        _process = RampartProcess.Start(["serve", "--data", Data], Settings);
        var ports = new Dictionary<string, int>();
        while (ports.Count < 3)
        {
            var match = ListeningLine().Match(_process.WaitForLine(l => ListeningLine().IsMatch(l)));
            ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        Ports = ports;
    }

    public string Data { get; }

    public Dictionary<string, string> Settings { get; }

    /// <summary>Listener name → bound port.</summary>
    public IReadOnlyDictionary<string, int> Ports { get; }

    /// <summary>The implicit-TLS port of <paramref name="protocol"/> (imap, pop3, smtp).</summary>
    public int Port(string protocol) => Ports[protocol switch { "imap" => "imaps", "pop3" => "pop3s", _ => "submissions" }];

    /// <summary>Runs <c>rampart user add NAME --password-stdin</c> on this data directory with <paramref name="environment"/>.</summary>
    public void AddUser(string name, IDictionary<string, string> environment)
    {
        using var cli = RampartProcess.StartRaw(["user", "add", name, "--address", name + "@example.test", "--password-stdin", "--data", Data], environment);
        cli.StandardInput.Write(Password + "\n");
        cli.StandardInput.Close();
        var output = cli.StandardOutput.ReadToEnd() + cli.StandardError.ReadToEnd();
        cli.WaitForExit();
        Assert.True(cli.ExitCode == 0, output);
    }

    /// <summary>The authentication audit lines: kind, protocol, user, mechanism, session.</summary>
    public IReadOnlyList<(string? Kind, string? Protocol, string? User, string? Mechanism, string? Session)> AuthLines() =>
        [.. File.ReadAllText(Path.Combine(Data, "audit", AuditChain.CurrentFileName)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.GetProperty("kind").GetString() is "auth.success" or "auth.failure")
            .Select(l => (l.GetProperty("kind").GetString(), Field(l, "protocol"), Field(l, "user"), Field(l, "mechanism"), Field(l, "session")))];

    public void Dispose()
    {
        _process.Dispose();
        try
        {
            Directory.Delete(Data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }

        GC.SuppressFinalize(this);
    }

    private static string? Field(JsonElement line, string name) => line.TryGetProperty(name, out var value) ? value.GetString() : null;

    [GeneratedRegex(@"listening (\S+)\s+127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}

/// <summary>A server with the default mechanisms (SCRAM-SHA-1 off).</summary>
public sealed class DefaultScramServer() : ScramServer(new Dictionary<string, string>());

/// <summary>A server with <c>Security:ScramSha1</c> on; alice's password was set while it was on.</summary>
public sealed class ScramSha1EnabledServer() : ScramServer(new Dictionary<string, string> { ["Security__ScramSha1"] = "true" });

[CollectionDefinition(Name)]
public sealed class DefaultScramServerCollection : ICollectionFixture<DefaultScramServer>
{
    public const string Name = "scram-default-server";
}
