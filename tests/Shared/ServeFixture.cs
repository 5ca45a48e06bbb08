using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rampart.Monitoring.Audit;

namespace Rampart.Testing;

/// <summary>
/// The real <c>rampart serve</c> on a data directory of its own, with the default listeners (IMAPS, POP3S,
/// submissions) moved to 127.0.0.1:0 and the host name set: the settings it runs with, accounts made by
/// <c>rampart user add</c> under those settings, the bound port of each listener read from serve's
/// <c>listening NAME 127.0.0.1:PORT</c> lines, and the audit log.
/// </summary>
/// <remarks>The test fixtures that run serve (SCRAM, federated login, the guard, ...) share this part and add only
/// their own settings and accounts.</remarks>
public sealed partial class ServeFixture : IDisposable
{
    private readonly bool ownsData;
    private RampartProcess? process;

    /// <summary>A fresh data directory under the temporary folder (<c>rampart-NAME-XXXXXXXX</c>), deleted on dispose.</summary>
    public ServeFixture(string name)
        : this(Path.Combine(Path.GetTempPath(), $"rampart-{name}-" + Guid.NewGuid().ToString("N")[..8]), ownsData: true)
    {
    }

    private ServeFixture(string data, bool ownsData)
    {
        Data = data;
        this.ownsData = ownsData;
    }

    public string Data { get; }

    /// <summary>The settings serve and <see cref="AddUser"/> run with, as RAMPART__ environment variables.</summary>
    public Dictionary<string, string> Environment { get; } = new()
    {
        ["RAMPART__HostName"] = "mail.test",
        ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
        ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
        ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
    };

    /// <summary>Listener name → bound port, once <see cref="Start"/> returned.</summary>
    public Dictionary<string, int> Ports { get; } = [];

    public RampartProcess Process => process ?? throw new InvalidOperationException("not started");

    /// <summary>What serve wrote to standard error so far ("" before it started), for failure messages.</summary>
    public string Errors => process?.Errors ?? "";

    /// <summary>Serve on <paramref name="data"/>, which the caller made and deletes.</summary>
    public static ServeFixture On(string data) => new(data, ownsData: false);

    /// <summary>Sets <paramref name="key"/> (<c>Section:Key</c> or <c>Section__Key</c>, without the RAMPART__ prefix).</summary>
    public ServeFixture Set(string key, string value)
    {
        Environment["RAMPART__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        return this;
    }

    /// <summary>Sets each of <paramref name="settings"/> (see <see cref="Set(string, string)"/>).</summary>
    public ServeFixture Set(IEnumerable<KeyValuePair<string, string>> settings)
    {
        foreach (var (key, value) in settings)
        {
            Set(key, value);
        }

        return this;
    }

    /// <summary>Runs <c>rampart user add NAME OPTIONS --password-stdin</c> on the data directory under
    /// <paramref name="environment"/> (default: <see cref="Environment"/>, so that settings such as the SASL
    /// mechanisms decide which secrets are stored); fails the test on a non-zero exit.</summary>
    public void AddUser(string name, string password, IEnumerable<string>? options = null, IDictionary<string, string>? environment = null)
    {
        using var cli = RampartProcess.StartRaw(["user", "add", name, .. options ?? [], "--password-stdin", "--data", Data], environment ?? Environment);
        cli.StandardInput.Write(password + "\n");
        cli.StandardInput.Close();
        var error = cli.StandardError.ReadToEndAsync();
        var output = cli.StandardOutput.ReadToEnd() + error.GetAwaiter().GetResult();
        cli.WaitForExit();
        Assert.True(cli.ExitCode == 0, $"user add {name}: {output}");
    }

    /// <summary>Runs a CLI verb on the data directory (with the default settings, not <see cref="Environment"/>);
    /// fails the test on a non-zero exit.</summary>
    public async Task<string> CliAsync(string input, params string[] args)
    {
        var result = await RampartProcess.RunAsync(input, [.. args, "--data", Data]);
        Assert.True(result.ExitCode == 0, string.Join(' ', args) + ": " + result.Error + result.Output);
        return result.Output;
    }

    /// <summary>Starts serve with <see cref="Environment"/> and returns once each of <paramref name="listeners"/>
    /// printed its bound port (in any order).</summary>
    public void Start(params string[] listeners)
    {
        if (process is not null)
        {
            throw new InvalidOperationException("serve already started");
        }

        process = RampartProcess.Start(["serve", "--data", Data], Environment);
        while (!listeners.All(Ports.ContainsKey))
        {
            var match = ListeningLine().Match(process.WaitForLine(l => ListeningLine().IsMatch(l)));
            Ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Stops serve (SIGTERM) and checks that it exits cleanly, so the audit log is complete.</summary>
    public async Task StopAsync()
    {
        Process.Signal("TERM");
        Assert.Equal(0, await Process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    public string AuditPath => Path.Combine(Data, "audit", AuditChain.CurrentFileName);

    /// <summary>The audit log's lines, parsed.</summary>
    public IReadOnlyList<JsonElement> AuditLines() =>
        [.. File.ReadAllLines(AuditPath).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    /// <summary>A field of an audit line as text (numbers too), or null when the line lacks it.</summary>
    public static string? Field(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString()) : null;

    /// <summary>Kills serve if it still runs; deletes the data directory if this fixture made it.</summary>
    public void Dispose()
    {
        process?.Dispose();
        if (ownsData)
        {
            try
            {
                Directory.Delete(Data, recursive: true);
            }
            catch (IOException)
            {
                // Cleanup only: a directory already gone, or a file the killed server still held, fails no test.
            }
        }
    }

    [GeneratedRegex(@"listening\s+(\S+)\s+127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
