using System.Globalization;
using System.Text.RegularExpressions;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Rampart.Smtp.Tests.Support;

/// <summary>
/// The real <c>rampart serve</c> as a child process with every mail listener on loopback — smtp (25, STARTTLS),
/// submission (587, STARTTLS), submissions (465, implicit TLS), lmtp and imaps — and the accounts every transcript
/// and client test declares (<c>@user</c> lines), created with <c>rampart user add</c> before it starts.
/// </summary>
/// <remarks>Limits are lowered so the tests can reach them: 5 recipients per message, 100 kB per message, 3 messages
/// per account and hour. Submission saves a copy to Sent.</remarks>
public sealed partial class SmtpServer : IAsyncLifetime
{
    public const string Password = "Tr0ub4dor&3-Horse";

    public const int MaxRecipients = 5;

    public const int MaxMessageSize = 100_000;

    /// <summary>Accounts for the client tests (name, addresses), besides the transcripts' ones.</summary>
    public static readonly (string Name, string[] Addresses)[] ClientAccounts =
    [
        ("mkplain", ["mkplain@example.test"]),
        ("mkscram", ["mkscram@example.test"]),
        ("curluser", ["curluser@example.test"]),
        ("swaksuser", ["swaksuser@example.test"]),
        ("inboxa", ["inboxa@example.test"]),
        ("inboxb", ["inboxb@example.test", "alias-b@example.test"]),
        ("bulk", ["bulk@example.test"]),
        ("sizeuser", ["sizeuser@example.test"]),
        ("ratelimit", ["ratelimit@example.test"]),
        ("remote1", ["remote1@example.test"]),
    ];

    private readonly Dictionary<string, int> _ports = new(StringComparer.Ordinal);
    private RampartProcess? _process;

    public string Data { get; } = Path.Combine(Path.GetTempPath(), "rampart-smtp-serve-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The bound port of a listener: smtp, submission, submissions, lmtp, imaps.</summary>
    public int Port(string listener) => _ports[listener];

    public string ServerErrors => _process?.Errors ?? "";

    public bool HasExited => _process?.HasExited ?? true;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Data);
        var accounts = ClientAccounts.Select(a => (a.Name, a.Addresses)).ToList();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Transcripts"), "*.txt"))
        {
            foreach (var user in Transcripts.Transcript.Load(file).Users)
            {
                accounts.Add((user.Name, user.Addresses));
            }
        }

        foreach (var (name, addresses) in accounts)
        {
            var args = new List<string> { "user", "add", name, "--password-stdin", "--data", Data };
            foreach (var address in addresses)
            {
                args.Add("--address");
                args.Add(address);
            }

            var (code, _, error) = await RampartProcess.RunAsync(Password + "\n", [.. args]);
            Assert.True(code == 0, $"user add {name}: {error}");
        }

        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Transcripts"), "*.txt"))
        {
            foreach (var (account, options) in Transcripts.Transcript.Load(file).Quotas)
            {
                var (code, _, error) = await RampartProcess.RunAsync("", ["user", "quota", account, .. options, "--data", Data]);
                Assert.True(code == 0, $"user quota {account}: {error}");
            }
        }

        // Inbound SMTP and submission treat example.test as local only when it is a hosted domain.
        var (domainCode, _, domainError) = await RampartProcess.RunAsync("", "domain", "add", "example.test", "--data", Data);
        Assert.True(domainCode == 0, $"domain add: {domainError}");

        var environment = new Dictionary<string, string>
        {
            ["RAMPART__HostName"] = "mail.example.test",
            ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Smtp__MaxRecipients"] = MaxRecipients.ToString(CultureInfo.InvariantCulture),
            ["RAMPART__Smtp__MaxMessageSize"] = MaxMessageSize.ToString(CultureInfo.InvariantCulture),
            ["RAMPART__Smtp__MaxMessagesPerHour"] = "3",
            ["RAMPART__Smtp__SaveToSent"] = "true",
        };
        foreach (var listener in new[] { "smtp", "submission", "lmtp" })
        {
            environment[$"RAMPART__Listeners__{listener}__Endpoint"] = "127.0.0.1:0";
            environment[$"RAMPART__Listeners__{listener}__Enabled"] = "true";
        }

        _process = RampartProcess.Start(["serve", "--data", Data], environment);
        string[] wanted = ["smtp", "submission", "submissions", "lmtp", "imaps"];
        while (!wanted.All(_ports.ContainsKey))
        {
            var line = _process.WaitForLine(l => ListeningPattern().IsMatch(l));
            var match = ListeningPattern().Match(line);
            _ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Logs in over IMAPS and returns the subjects in <paramref name="mailbox"/> (each message's raw text with it).</summary>
    public async Task<IReadOnlyList<string>> ReadMailboxAsync(string account, string mailbox = "INBOX")
    {
        using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", Port("imaps"), SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(account, Password);
        var folder = await client.GetFolderAsync(mailbox);
        await folder.OpenAsync(MailKit.FolderAccess.ReadOnly);
        var texts = new List<string>();
        for (var i = 0; i < folder.Count; i++)
        {
            using var stream = new MemoryStream();
            var message = await folder.GetMessageAsync(i);
            await message.WriteToAsync(stream);
            texts.Add(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        }

        await client.DisconnectAsync(true);
        return texts;
    }

    /// <summary>Creates a mailbox over IMAPS (for the <c>+tag</c> tests).</summary>
    public async Task CreateMailboxAsync(string account, string mailbox)
    {
        using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", Port("imaps"), SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(account, Password);
        var personal = client.GetFolder(client.PersonalNamespaces[0]);
        try
        {
            await personal.CreateAsync(mailbox, true);
        }
        catch (ImapCommandException)
        {
            // Exists already: a transcript ran twice (in-memory and over TCP share nothing, but reruns do).
        }

        await client.DisconnectAsync(true);
    }

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

    [GeneratedRegex(@"listening (\S+)\s+\S+:(\d+)\s*$")]
    private static partial Regex ListeningPattern();
}

[CollectionDefinition(Name)]
public sealed class SmtpServerCollection : ICollectionFixture<SmtpServer>
{
    public const string Name = "rampart serve (smtp)";
}
