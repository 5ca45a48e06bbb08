namespace Rampart.Server.Tests.Scram;

/// <summary><c>rampart serve</c> (<see cref="ServeFixture"/>) on a fresh data directory with IMAPS, POP3S and
/// submissions on 127.0.0.1:0, alice's account made by <c>rampart user add</c> under the same settings, and the guard's
/// delays shortened (so that a dozen refused exchanges take milliseconds, not minutes; the per-session failure limit
/// stays at its default).</summary>
public abstract class ScramServer : IDisposable
{
    public const string Password = "Correct-Horse-9!xyzq";

    private readonly ServeFixture _serve = new("scram");

    protected ScramServer(IDictionary<string, string> settings)
    {
        _serve.Set("Security:Guard:FirstDelay", "00:00:00.010")
            .Set("Security:Guard:MaxDelay", "00:00:00.020")
            .Set("Security:Guard:BanThreshold", "1000")
            .Set("Security:Guard:AccountThrottleThreshold", "1000")
            .Set(settings);
        AddUser("alice", Settings);
        _serve.Start("imaps", "pop3s", "submissions");
    }

    public string Data => _serve.Data;

    public Dictionary<string, string> Settings => _serve.Environment;

    /// <summary>Listener name → bound port.</summary>
    public IReadOnlyDictionary<string, int> Ports => _serve.Ports;

    /// <summary>The implicit-TLS port of <paramref name="protocol"/> (imap, pop3, smtp).</summary>
    public int Port(string protocol) => Ports[protocol switch { "imap" => "imaps", "pop3" => "pop3s", _ => "submissions" }];

    /// <summary>Runs <c>rampart user add NAME --password-stdin</c> on this data directory with <paramref name="environment"/>.</summary>
    public void AddUser(string name, IDictionary<string, string> environment) =>
        _serve.AddUser(name, Password, ["--address", name + "@example.test"], environment);

    /// <summary>The authentication audit lines: kind, protocol, user, mechanism, session.</summary>
    public IReadOnlyList<(string? Kind, string? Protocol, string? User, string? Mechanism, string? Session)> AuthLines() =>
        [.. _serve.AuditLines()
            .Where(l => l.GetProperty("kind").GetString() is "auth.success" or "auth.failure")
            .Select(l => (l.GetProperty("kind").GetString(), ServeFixture.Field(l, "protocol"), ServeFixture.Field(l, "user"), ServeFixture.Field(l, "mechanism"), ServeFixture.Field(l, "session")))];

    public void Dispose()
    {
        _serve.Dispose();
        GC.SuppressFinalize(this);
    }
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
