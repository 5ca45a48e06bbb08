using System.Globalization;
using System.Text.RegularExpressions;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Rampart.Smtp.Tests.Support;

/// <summary>
/// A small <c>rampart serve</c> for the over-quota flow: accounts <c>sender</c>, <c>ok</c> and <c>full</c> (1 KiB of
/// storage, a mailbox <c>tagged</c>) in the hosted domain example.test, with smtp, lmtp, submissions and imaps on
/// loopback and <c>Smtp:OverQuotaTemporary</c> as the subclass says. Fewer accounts than <see cref="SmtpServer"/>,
/// so it starts in seconds.
/// </summary>
public abstract partial class QuotaServer(bool overQuotaTemporary) : IAsyncLifetime
{
    private readonly Dictionary<string, int> _ports = new(StringComparer.Ordinal);
    private RampartProcess? _process;

    public string Data { get; } = Path.Combine(Path.GetTempPath(), "rampart-quota-serve-" + Guid.NewGuid().ToString("N")[..12]);

    public int Port(string listener) => _ports[listener];

    public string ServerErrors => _process?.Errors ?? "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Data);
        foreach (var name in new[] { "sender", "ok", "full" })
        {
            var (code, _, error) = await RampartProcess.RunAsync(SmtpServer.Password + "\n", "user", "add", name, "--password-stdin", "--data", Data, "--address", name + "@example.test");
            Assert.True(code == 0, $"user add {name}: {error}");
        }

        var (quotaCode, _, quotaError) = await RampartProcess.RunAsync("", "user", "quota", "full", "--storage", "1", "--data", Data);
        Assert.True(quotaCode == 0, $"user quota: {quotaError}");
        var (domainCode, _, domainError) = await RampartProcess.RunAsync("", "domain", "add", "example.test", "--data", Data);
        Assert.True(domainCode == 0, $"domain add: {domainError}");

        var environment = new Dictionary<string, string>
        {
            ["RAMPART__HostName"] = "mail.example.test",
            ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Smtp__OverQuotaTemporary"] = overQuotaTemporary ? "true" : "false",
            ["RAMPART__Smtp__MaxMessageSize"] = "100000",
        };
        foreach (var listener in new[] { "smtp", "lmtp" })
        {
            environment[$"RAMPART__Listeners__{listener}__Endpoint"] = "127.0.0.1:0";
            environment[$"RAMPART__Listeners__{listener}__Enabled"] = "true";
        }

        _process = RampartProcess.Start(["serve", "--data", Data], environment);
        string[] wanted = ["smtp", "submissions", "lmtp", "imaps"];
        while (!wanted.All(_ports.ContainsKey))
        {
            var match = ListeningPattern().Match(_process.WaitForLine(l => ListeningPattern().IsMatch(l)));
            _ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        using var client = await ImapAsync("full");
        await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("tagged", true);
        await client.DisconnectAsync(true);
    }

    /// <summary>The raw text of each message in <paramref name="mailbox"/> of <paramref name="account"/>, read over IMAPS.</summary>
    public async Task<IReadOnlyList<string>> ReadMailboxAsync(string account, string mailbox = "INBOX")
    {
        using var client = await ImapAsync(account);
        var folder = await client.GetFolderAsync(mailbox);
        await folder.OpenAsync(MailKit.FolderAccess.ReadOnly);
        var texts = new List<string>();
        for (var i = 0; i < folder.Count; i++)
        {
            using var stream = new MemoryStream();
            await (await folder.GetMessageAsync(i)).WriteToAsync(stream);
            texts.Add(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        }

        await client.DisconnectAsync(true);
        return texts;
    }

    /// <summary>Waits until <paramref name="mailbox"/> holds at least <paramref name="count"/> messages; returns them.</summary>
    public async Task<IReadOnlyList<string>> WaitForMessagesAsync(string account, int count, string mailbox = "INBOX")
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var messages = await ReadMailboxAsync(account, mailbox);
            if (messages.Count >= count || DateTime.UtcNow > deadline)
            {
                return messages;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The envelopes (JSON) in the outbound queue now.</summary>
    public IReadOnlyList<string> QueueEnvelopes()
    {
        var folder = Path.Combine(Data, "queue");
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder, "*.json").Select(File.ReadAllText)] : [];
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

    private async Task<ImapClient> ImapAsync(string account)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", Port("imaps"), SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(account, SmtpServer.Password);
        return client;
    }

    [GeneratedRegex(@"listening (\S+)\s+\S+:(\d+)\s*$")]
    private static partial Regex ListeningPattern();
}

/// <summary>Over quota is permanent (the default).</summary>
public sealed class PermanentQuotaServer() : QuotaServer(overQuotaTemporary: false);

/// <summary>Over quota is temporary (<c>Smtp:OverQuotaTemporary=true</c>).</summary>
public sealed class TemporaryQuotaServer() : QuotaServer(overQuotaTemporary: true);
