using System.Text.Json;

namespace Rampart.Server.Tests.Support;

/// <summary><c>rampart serve</c> (<see cref="ServeFixture"/>) on a fresh data directory with every listener on
/// 127.0.0.1:0 (the plaintext IMAP and POP3 listeners too), its ports, the CLI against the same data directory, and the
/// audit log once it stopped.</summary>
public sealed class RunningServer : IDisposable
{
    private readonly ServeFixture serve;

    public RunningServer(string name) => serve = new ServeFixture(name);

    public string Data => serve.Data;

    public int Imaps { get; private set; }

    public int Imap { get; private set; }

    public int Pop3s { get; private set; }

    public int Pop3 { get; private set; }

    public int Submissions { get; private set; }

    public RampartProcess Process => serve.Process;

    /// <summary>Runs a CLI verb on the data directory; fails the test on a non-zero exit.</summary>
    public Task<string> CliAsync(string input, params string[] args) => serve.CliAsync(input, args);

    /// <summary>Starts serve with <paramref name="settings"/> (RAMPART__ variables without the prefix) on top.</summary>
    public void Start(IDictionary<string, string>? settings = null)
    {
        serve.Set("Listeners:imap:Endpoint", "127.0.0.1:0")
            .Set("Listeners:imap:Enabled", "true")
            .Set("Listeners:pop3:Endpoint", "127.0.0.1:0")
            .Set("Listeners:pop3:Enabled", "true")
            .Set(settings ?? new Dictionary<string, string>())
            .Start("imaps", "imap", "pop3s", "pop3", "submissions");
        Imaps = serve.Ports["imaps"];
        Imap = serve.Ports["imap"];
        Pop3s = serve.Ports["pop3s"];
        Pop3 = serve.Ports["pop3"];
        Submissions = serve.Ports["submissions"];
    }

    /// <summary>Stops serve (SIGTERM) and waits for a clean exit, so the audit log is flushed.</summary>
    public Task StopAsync() => serve.StopAsync();

    /// <summary>The audit lines (after <see cref="StopAsync"/>), parsed.</summary>
    public IReadOnlyList<JsonElement> AuditLines() => serve.AuditLines();

    public static string? Field(JsonElement line, string name) => ServeFixture.Field(line, name);

    public void Dispose() => serve.Dispose();
}
