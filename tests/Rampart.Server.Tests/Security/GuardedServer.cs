namespace Rampart.Server.Tests.Security;

/// <summary>The real <c>rampart serve</c> (<see cref="ServeFixture"/>) with IMAPS, POP3S and submissions on ephemeral
/// loopback ports, the guard's delays shortened to milliseconds (the tests count failures, they never time them) and
/// the ban list re-read every 200 ms; accounts are made with <c>rampart user add</c> before it starts.</summary>
internal sealed class GuardedServer : IAsyncDisposable
{
    /// <summary>Every account's password.</summary>
    public const string Password = "Correct-Horse-Battery-9";

    private readonly ServeFixture serve;

    private GuardedServer(ServeFixture serve)
    {
        this.serve = serve;
        Imaps = serve.Ports["imaps"];
        Pop3s = serve.Ports["pop3s"];
        Submissions = serve.Ports["submissions"];
    }

    public int Imaps { get; }

    public int Pop3s { get; }

    public int Submissions { get; }

    /// <param name="data">The data directory (the caller deletes it).</param>
    /// <param name="settings">Settings as <c>Section:Key</c>, e.g. <c>Security:Guard:BanThreshold</c>.</param>
    /// <param name="users">Accounts to create, each with <see cref="Password"/>.</param>
    public static Task<GuardedServer> StartAsync(string data, IReadOnlyDictionary<string, string> settings, params string[] users)
    {
        var serve = ServeFixture.On(data);
        try
        {
            foreach (var user in users)
            {
                serve.AddUser(user, Password);
            }

            serve.Set("Security:Guard:FirstDelay", "00:00:00.010")
                .Set("Security:Guard:MaxDelay", "00:00:00.050")
                .Set("Security:Guard:BanReloadInterval", "00:00:00.200")
                .Set(settings)
                .Start("imaps", "pop3s", "submissions");
            return Task.FromResult(new GuardedServer(serve));
        }
        catch
        {
            serve.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        serve.Dispose();
        return ValueTask.CompletedTask;
    }
}
