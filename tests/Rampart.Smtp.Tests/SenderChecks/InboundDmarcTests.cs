using System.Globalization;
using System.Text.RegularExpressions;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Rampart.Smtp.Tests.SenderChecks;

/// <summary>Inbound SMTP on a real <c>rampart serve</c> with its DNS pointed at dnsmasq: SPF and DMARC decide what
/// happens to a message (RFC 7489 §6.3: reject → 550, quarantine → Junk) and every delivered message carries an
/// Authentication-Results header (RFC 8601) written by this server.</summary>
public sealed partial class InboundDmarcTests
{
    private const string Password = "Tr0ub4dor&3-Horse";

    [Fact]
    public async Task Dmarc_reject_is_refused_quarantine_goes_to_junk_and_a_pass_reaches_the_inbox()
    {
        await using var dns = await LoopbackDns.StartAsync(new DnsZone()
            .Txt("evil.test", "v=spf1 -all")
            .Txt("_dmarc.evil.test", "v=DMARC1; p=reject")
            .Txt("shady.test", "v=spf1 -all")
            .Txt("_dmarc.shady.test", "v=DMARC1; p=quarantine")
            .Txt("good.test", "v=spf1 ip4:127.0.0.1 -all")
            .Txt("_dmarc.good.test", "v=DMARC1; p=reject"));
        var data = Path.Combine(Path.GetTempPath(), "rampart-dmarc-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(data);
        try
        {
            var (code, _, error) = await RampartProcess.RunAsync(Password + "\n", "user", "add", "dana", "--password-stdin", "--address", "dana@example.test", "--data", data);
            Assert.True(code == 0, error);
            (code, _, error) = await RampartProcess.RunAsync("", "domain", "add", "example.test", "--data", data);
            Assert.True(code == 0, error);

            using var server = RampartProcess.Start(["serve", "--data", data], new Dictionary<string, string>
            {
                ["RAMPART__HostName"] = "mx.example.test",
                ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
                ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
                ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
                ["RAMPART__Listeners__smtp__Endpoint"] = "127.0.0.1:0",
                ["RAMPART__Listeners__smtp__Enabled"] = "true",
                ["RAMPART__Smtp__Dns__Servers__0"] = dns.Endpoint.ToString(),
            });
            var ports = new Dictionary<string, int>(StringComparer.Ordinal);
            while (!ports.ContainsKey("smtp") || !ports.ContainsKey("imaps"))
            {
                var match = ListeningPattern().Match(server.WaitForLine(l => ListeningPattern().IsMatch(l)));
                ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            }

            var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(ports["smtp"], "ceo@evil.test", "reject me"));
            Assert.Equal(550, (int)refused.StatusCode);
            Assert.Contains("DMARC", refused.Message, StringComparison.Ordinal);

            await SendAsync(ports["smtp"], "billing@shady.test", "quarantine me");
            await SendAsync(ports["smtp"], "friend@good.test", "welcome me");

            var inbox = await ReadAsync(ports["imaps"], "INBOX");
            var junk = await ReadAsync(ports["imaps"], "Junk");
            var welcome = Assert.Single(inbox);
            Assert.Equal("welcome me", welcome.Subject);
            var results = welcome.Headers[HeaderId.AuthenticationResults];
            Assert.StartsWith("mx.example.test;", results, StringComparison.Ordinal);
            Assert.Contains("spf=pass", results, StringComparison.Ordinal);
            Assert.Contains("dmarc=pass", results, StringComparison.Ordinal);

            var quarantined = Assert.Single(junk);
            Assert.Equal("quarantine me", quarantined.Subject);
            Assert.Contains("dmarc=fail", quarantined.Headers[HeaderId.AuthenticationResults], StringComparison.Ordinal);
            Assert.DoesNotContain(inbox.Concat(junk), m => m.Subject == "reject me");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task SendAsync(int port, string from, string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("dana@example.test"));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "hello\r\n" };
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.StartTls);
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
    }

    private static async Task<List<MimeMessage>> ReadAsync(int port, string mailbox)
    {
        using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync("dana", Password);
        var folder = await client.GetFolderAsync(mailbox);
        await folder.OpenAsync(MailKit.FolderAccess.ReadOnly);
        var messages = new List<MimeMessage>();
        for (var i = 0; i < folder.Count; i++)
        {
            messages.Add(await folder.GetMessageAsync(i));
        }

        await client.DisconnectAsync(true);
        return messages;
    }

    [GeneratedRegex(@"listening (\S+)\s+\S+:(\d+)\s*$")]
    private static partial Regex ListeningPattern();
}
