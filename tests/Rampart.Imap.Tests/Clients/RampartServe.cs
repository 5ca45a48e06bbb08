namespace Rampart.Imap.Tests.Clients;

/// <summary>
/// The real <c>rampart serve</c> (<see cref="ServeFixture"/>) as a child process with imaps on a loopback port, and
/// one account per client test (created with <c>rampart user add</c>, seeded with <c>rampart deliver</c>) so that no two
/// tests share a mailbox.
/// </summary>
public sealed class RampartServe : IAsyncLifetime
{
    public const string Password = "Tr0ub4dor&3-Horse";

    /// <summary>Messages seeded into every account's INBOX before serve starts.</summary>
    public const int SeededCount = 2;

    /// <summary>Accounts, one per client test.</summary>
    public static readonly string[] Accounts = ["imaplib", "curl", "starttls", "mbsync", "fetchmail", "imtest"];

    private readonly ServeFixture _serve = new("imap-clients");

    public string Data => _serve.Data;

    public int ImapsPort { get; private set; }

    /// <summary>The plaintext imap listener, where only STARTTLS leads to a login (RFC 9051 §6.2.1).</summary>
    public int ImapPort { get; private set; }

    /// <summary>The certificate serve generated (SAN localhost), for clients that verify it.</summary>
    public string CertificatePath => Path.Combine(Data, "tls", "cert.pem");

    /// <summary>Message <paramref name="n"/> for <paramref name="account"/>, with CRLF line ends as IMAP carries them
    /// (RFC 9051 §2.3.1.1 literals are octet-exact, so BODY[] must return exactly these bytes).</summary>
    public static string Message(string account, int n) =>
        $"From: sender@example.test\r\nTo: {account}@example.test\r\nSubject: message {n} for {account}\r\n" +
        $"Message-ID: <{n}.{account}@example.test>\r\nDate: Fri, 27 Nov 2026 08:00:0{n} +0000\r\n\r\n" +
        $"Hello {account}, this is message {n}.\r\n.a line with a leading dot\r\nFrom the start of a line\r\n";

    public async Task InitializeAsync()
    {
        foreach (var account in Accounts)
        {
            _serve.AddUser(account, Password);
            for (var n = 1; n <= SeededCount; n++)
            {
                await _serve.CliAsync(Message(account, n), "deliver", "--to", account);
            }
        }

        _serve.Set("HostName", "localhost")
            .Set("Listeners:imap:Endpoint", "127.0.0.1:0")
            .Set("Listeners:imap:Enabled", "true")
            .Start("imaps", "imap");
        ImapsPort = _serve.Ports["imaps"];
        ImapPort = _serve.Ports["imap"];
    }

    /// <summary>What serve wrote to standard error, for failure messages.</summary>
    public string ServerErrors => _serve.Errors;

    public Task DisposeAsync()
    {
        _serve.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class RampartServeCollection : ICollectionFixture<RampartServe>
{
    public const string Name = "rampart serve (imap clients)";
}
