using System.Globalization;
using System.Text.RegularExpressions;

namespace Rampart.Imap.Tests.Clients;

/// <summary>
/// The real <c>rampart serve</c> as a child process with imaps on a loopback port, and one account per client test
/// (created with <c>rampart user add</c>, seeded with <c>rampart deliver</c>) so that no two tests share a mailbox.
/// </summary>
public sealed partial class RampartServe : IAsyncLifetime
{
    public const string Password = "Tr0ub4dor&3-Horse";

    /// <summary>Messages seeded into every account's INBOX before serve starts.</summary>
    public const int SeededCount = 2;

    /// <summary>Accounts, one per client test.</summary>
    public static readonly string[] Accounts = ["imaplib", "curl", "starttls", "mbsync", "fetchmail", "imtest"];

    private RampartProcess? _process;

    public string Data { get; } = Path.Combine(Path.GetTempPath(), "rampart-imap-clients-" + Guid.NewGuid().ToString("N")[..12]);

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
        Directory.CreateDirectory(Data);
        foreach (var account in Accounts)
        {
            var (code, _, error) = await RampartProcess.RunAsync(Password + "\n", "user", "add", account, "--password-stdin", "--data", Data);
            Assert.True(code == 0, $"user add {account}: {error}");
            for (var n = 1; n <= SeededCount; n++)
            {
                (code, _, error) = await RampartProcess.RunAsync(Message(account, n), "deliver", "--to", account, "--data", Data);
                Assert.True(code == 0, $"deliver to {account}: {error}");
            }
        }

        _process = RampartProcess.Start(["serve", "--data", Data], new Dictionary<string, string>
        {
            ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__imap__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__imap__Enabled"] = "true",
            ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__HostName"] = "localhost",
        });
        ImapsPort = Port(_process.WaitForLine(l => l.Contains("listening imaps", StringComparison.Ordinal)));
        ImapPort = Port(_process.WaitForLine(l => l.Contains("listening imap ", StringComparison.Ordinal)));
    }

    /// <summary>What serve wrote to standard error, for failure messages.</summary>
    public string ServerErrors => _process?.Errors ?? "";

    public Task DisposeAsync()
    {
        _process?.Dispose();
        try
        {
            Directory.Delete(Data, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    private static int Port(string line) => int.Parse(PortPattern().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@":(\d+)\s*$")]
    private static partial Regex PortPattern();
}

[CollectionDefinition(Name)]
public sealed class RampartServeCollection : ICollectionFixture<RampartServe>
{
    public const string Name = "rampart serve (imap clients)";
}
