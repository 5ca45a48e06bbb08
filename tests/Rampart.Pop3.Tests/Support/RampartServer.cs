namespace Rampart.Pop3.Tests.Support;

/// <summary>
/// The real <c>rampart serve</c> (<see cref="ServeFixture"/>) as a child process with pop3s and the STLS pop3 listener
/// on loopback, and a few accounts seeded with <c>rampart user add</c> and <c>rampart deliver</c>: the server real
/// clients talk to.
/// </summary>
public sealed class RampartServer : IAsyncLifetime
{
    public const string Password = "Tr0ub4dor&3-Horse";

    /// <summary>Accounts, one per client test so that no two tests share a maildrop.</summary>
    public static readonly string[] Accounts = ["mailkit", "mailkitdele", "mailkitauth", "poplib", "curl", "fetchkeep", "fetchflush", "pop3test", "together", "retdelete", "retdays", "popoff"];

    private readonly ServeFixture _serve = new("pop3-serve");

    public string Data => _serve.Data;

    public int Pop3sPort { get; private set; }

    public int Pop3Port { get; private set; }

    public int ImapsPort { get; private set; }

    /// <summary>A message with a line that starts with a dot and bare LF line ends (the store keeps them).</summary>
    public static string Message(string account, int n) =>
        $"From: sender@example.test\nTo: {account}@example.test\nSubject: message {n} for {account}\nMessage-ID: <{n}.{account}@example.test>\n\nHello {account}, this is message {n}.\n.a line with a leading dot\n..and two\n";

    public async Task InitializeAsync()
    {
        foreach (var account in Accounts)
        {
            _serve.AddUser(account, Password);
            for (var n = 1; n <= 3; n++)
            {
                await DeliverAsync(account, Message(account, n));
            }
        }

        _serve.Set("HostName", "localhost")
            .Set("Listeners:pop3:Endpoint", "127.0.0.1:0")
            .Set("Listeners:pop3:Enabled", "true")
            .Start("imaps", "pop3s", "pop3");
        ImapsPort = _serve.Ports["imaps"];
        Pop3sPort = _serve.Ports["pop3s"];
        Pop3Port = _serve.Ports["pop3"];
    }

    public async Task DeliverAsync(string account, string message) => await _serve.CliAsync(message, "deliver", "--to", account);

    /// <summary>Runs a <c>rampart</c> verb against this server's data directory (while it serves).</summary>
    public Task<string> CliAsync(string input, params string[] args) => _serve.CliAsync(input, args);

    public string ServerErrors => _serve.Errors;

    public Task DisposeAsync()
    {
        _serve.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class RampartServerCollection : ICollectionFixture<RampartServer>
{
    public const string Name = "rampart serve";
}
