using System.Globalization;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Text;

namespace Rampart.Smtp.Tests.Interop;

/// <summary>
/// Postfix in front of Rampart, the way most sites deploy a mail store: a message sent into Postfix over SMTP is
/// delivered by Postfix's lmtp client to <c>rampart serve</c>'s <c>lmtp</c> listener (RFC 2033) and read back over
/// IMAP with its body intact; mail for an unknown recipient is refused by Rampart with 550 5.1.1 and Postfix bounces it.
/// </summary>
public sealed partial class PostfixLmtpTests(PostfixLmtpTests.Servers servers) : IClassFixture<PostfixLmtpTests.Servers>
{
    private const string Account = "pfuser";

    private const string Password = "Tr0ub4dor&3-Postfix";

    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromMinutes(2);

    private static string Address(string local) => $"{local}@{PostfixInstance.Domain}";

    private async Task SendThroughPostfixAsync(MimeMessage message)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", servers.Postfix.SmtpPort, SecureSocketOptions.None);
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task A_message_sent_into_postfix_is_delivered_over_lmtp_and_read_back_over_imap()
    {
        // 8-bit UTF-8, a line that begins with a dot (dot-stuffed twice: SMTP in, LMTP out), trailing spaces and
        // enough lines that the body spans several network reads.
        var lines = new List<string> { "Grüße über Postfix → Rampart.", ".a line that begins with a dot", "trailing spaces   " };
        lines.AddRange(Enumerable.Range(1, 400).Select(i => $"line {i.ToString("D3", CultureInfo.InvariantCulture)} of the Postfix interop body"));
        var body = string.Join("\r\n", lines) + "\r\n";
        var subject = "through postfix " + Guid.NewGuid().ToString("N")[..8];
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@remote.test"));
        message.To.Add(MailboxAddress.Parse(Address(Account)));
        message.Subject = subject;
        message.Body = new TextPart(TextFormat.Plain) { Text = body, ContentTransferEncoding = ContentEncoding.EightBit };

        await SendThroughPostfixAsync(message);

        var received = await servers.WaitForMessageAsync(Account, m => m.Subject == subject);
        var text = Assert.IsType<TextPart>(received.Body);
        Assert.Equal(body, text.Text.ReplaceLineEndings("\r\n"));
        // Both hops left their trace: Postfix's smtpd and Rampart's LMTP listener.
        var trace = string.Join("\n", received.Headers.Where(h => h.Id == HeaderId.Received).Select(h => h.Value));
        Assert.Contains("postfix." + PostfixInstance.Domain, trace, StringComparison.Ordinal);
        Assert.Contains("LMTP", trace, StringComparison.Ordinal);

        var sent = await servers.Postfix.WaitForLogLineAsync(l => l.Contains($"to=<{Address(Account)}>", StringComparison.Ordinal)
            && l.Contains("status=", StringComparison.Ordinal), DeliveryTimeout);
        Assert.Contains($"relay=127.0.0.1[127.0.0.1]:{servers.LmtpPort.ToString(CultureInfo.InvariantCulture)}", sent, StringComparison.Ordinal);
        Assert.Contains("status=sent", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mail_for_an_unknown_recipient_is_refused_over_lmtp_and_bounced_by_postfix()
    {
        var subject = "to nobody " + Guid.NewGuid().ToString("N")[..8];
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(Address(Account)));
        message.To.Add(MailboxAddress.Parse(Address("nobody")));
        message.Subject = subject;
        message.Body = new TextPart(TextFormat.Plain) { Text = "Nobody reads this.\r\n" };

        // Postfix accepts it (local_recipient_maps is empty): only Rampart knows who exists.
        await SendThroughPostfixAsync(message);

        var bounced = await servers.Postfix.WaitForLogLineAsync(l => l.Contains($"to=<{Address("nobody")}>", StringComparison.Ordinal)
            && l.Contains("status=", StringComparison.Ordinal), DeliveryTimeout);
        Assert.Contains("status=bounced", bounced, StringComparison.Ordinal);
        Assert.Contains("dsn=5.1.1", bounced, StringComparison.Ordinal);
        Assert.Contains("550 5.1.1", bounced, StringComparison.Ordinal);

        // The bounce (null sender) goes back to the sender, a Rampart account, over the same LMTP path.
        var report = await servers.WaitForMessageAsync(Account, m => m.Headers[HeaderId.From]?.Contains("MAILER-DAEMON", StringComparison.OrdinalIgnoreCase) == true
            && m.TextBody?.Contains(Address("nobody"), StringComparison.Ordinal) == true);
        var delivery = Assert.Single(report.BodyParts.OfType<MessageDeliveryStatus>());
        Assert.Contains(delivery.StatusGroups, g => g["Status"]?.Trim() == "5.1.1");
        Assert.Contains(subject, report.ToString(), StringComparison.Ordinal);
    }

    /// <summary><c>rampart serve</c> (lmtp and imaps on loopback, one account in <see cref="PostfixInstance.Domain"/>)
    /// and the Postfix instance delivering to it, shared by the tests of the class.</summary>
    public sealed partial class Servers : IAsyncLifetime
    {
        private readonly Dictionary<string, int> _ports = new(StringComparer.Ordinal);
        private RampartProcess? _rampart;
        private PostfixInstance? _postfix;

        private string Data { get; } = Path.Combine(Path.GetTempPath(), "rampart-postfix-serve-" + Guid.NewGuid().ToString("N")[..12]);

        public PostfixInstance Postfix => _postfix ?? throw new InvalidOperationException("not started");

        public int LmtpPort => _ports["lmtp"];

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(Data);
            var (code, _, error) = await RampartProcess.RunAsync(Password + "\n", "user", "add", Account, "--password-stdin", "--data", Data,
                "--address", Address(Account));
            Assert.True(code == 0, $"user add: {error}");

            var environment = new Dictionary<string, string>
            {
                ["RAMPART__HostName"] = "mail." + PostfixInstance.Domain,
                ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
                ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
                ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
                ["RAMPART__Listeners__lmtp__Endpoint"] = "127.0.0.1:0",
                ["RAMPART__Listeners__lmtp__Enabled"] = "true",
            };
            _rampart = RampartProcess.Start(["serve", "--data", Data], environment);
            string[] wanted = ["lmtp", "imaps"];
            while (!wanted.All(_ports.ContainsKey))
            {
                var match = ListeningPattern().Match(_rampart.WaitForLine(l => ListeningPattern().IsMatch(l), TimeSpan.FromMinutes(2)));
                _ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            }

            _postfix = await PostfixInstance.StartAsync(LmtpPort);
        }

        /// <summary>Polls the account's INBOX over IMAPS (NOOP on one session) until a message matches.</summary>
        public async Task<MimeMessage> WaitForMessageAsync(string account, Func<MimeMessage, bool> predicate)
        {
            using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
            await client.ConnectAsync("127.0.0.1", _ports["imaps"], SecureSocketOptions.SslOnConnect);
            await client.AuthenticateAsync(account, Password);
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            var deadline = DateTime.UtcNow + DeliveryTimeout;
            var seen = 0;
            while (true)
            {
                for (; seen < client.Inbox.Count; seen++)
                {
                    var message = await client.Inbox.GetMessageAsync(seen);
                    if (predicate(message))
                    {
                        await client.DisconnectAsync(true);
                        return message;
                    }
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"no matching message in {account}'s INBOX ({client.Inbox.Count} there); Postfix's maillog:\n"
                        + Postfix.Maillog + "\nrampart stderr:\n" + _rampart?.Errors);
                }

                await Task.Delay(500);
                await client.NoOpAsync();
            }
        }

        public async Task DisposeAsync()
        {
            if (_postfix is not null)
            {
                await _postfix.DisposeAsync();
            }

            _rampart?.Dispose();
            try
            {
                Directory.Delete(Data, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        [GeneratedRegex(@"listening (\S+)\s+\S+:(\d+)\s*$")]
        private static partial Regex ListeningPattern();
    }
}
