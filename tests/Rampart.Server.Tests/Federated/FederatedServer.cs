namespace Rampart.Server.Tests.Federated;

/// <summary><c>rampart serve</c> (<see cref="ServeFixture"/>) on a fresh data directory with IMAPS and POP3S on
/// 127.0.0.1:0, the guard's delays shortened (so that a dozen refused tokens do not take minutes), and the settings a
/// test adds.</summary>
public sealed class FederatedServer : IDisposable
{
    private readonly ServeFixture _serve;

    public FederatedServer(string name) => _serve = new ServeFixture(name);

    public string Data => _serve.Data;

    public int Imaps { get; private set; }

    public int Pop3s { get; private set; }

    public RampartProcess Process => _serve.Process;

    public Task<string> CliAsync(string input, params string[] args) => _serve.CliAsync(input, args);

    public void Start(IDictionary<string, string> settings)
    {
        _serve.Set("Security:Guard:FirstDelay", "00:00:00.010")
            .Set("Security:Guard:MaxDelay", "00:00:00.020")
            .Set("Security:Guard:BanThreshold", "1000")
            .Set("Security:Guard:AccountThrottleThreshold", "1000")
            .Set(settings)
            .Start("imaps", "pop3s");
        Imaps = _serve.Ports["imaps"];
        Pop3s = _serve.Ports["pop3s"];
    }

    public Task StopAsync() => _serve.StopAsync();

    public string AuditText() => File.ReadAllText(_serve.AuditPath);

    /// <summary>The authentication audit lines: kind, protocol, user, mechanism, reason.</summary>
    public IReadOnlyList<(string? Kind, string? Protocol, string? User, string? Mechanism, string? Reason)> AuthLines() =>
        [.. _serve.AuditLines()
            .Where(l => l.GetProperty("kind").GetString() is "auth.success" or "auth.failure")
            .Select(l => (l.GetProperty("kind").GetString(), ServeFixture.Field(l, "protocol"), ServeFixture.Field(l, "user"), ServeFixture.Field(l, "mechanism"), ServeFixture.Field(l, "reason")))];

    public void Dispose() => _serve.Dispose();
}
