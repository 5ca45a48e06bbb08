using System.Globalization;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Rampart.Smtp.Tests.Interop;

/// <summary>Two real <c>rampart serve</c> processes on loopback, A hosting a.test (and r.test, q.test) and B hosting
/// b.test, with one dnsmasq zone holding the MX of b.test, the SPF and DMARC records of the sender domains and A's
/// DKIM key as <c>rampart dkim create</c> printed it. A user on A submits to bob@b.test; A's queue finds B through
/// the MX, delivers over STARTTLS, B checks SPF (RFC 7208), DKIM (RFC 6376) and DMARC (RFC 7489) and records them
/// (RFC 8601). A sender domain whose SPF does not list 127.0.0.1 fails DMARC: with p=reject B answers 550 and A
/// returns a DSN (RFC 3464) to its sender; with p=quarantine the message lands in B's Junk.</summary>
public sealed partial class TwoServerMailFlowTests : IDisposable
{
    private const string Password = "Tr0ub4dor&3-Horse";
    private readonly string dataA = Directory.CreateTempSubdirectory("rampart-flow-a-").FullName;
    private readonly string dataB = Directory.CreateTempSubdirectory("rampart-flow-b-").FullName;

    [Fact]
    public async Task Mail_from_A_reaches_B_with_spf_dkim_dmarc_pass_and_failing_domains_bounce_or_go_to_junk()
    {
        await RunAsync("user", "add", "alice", "--password-stdin", "--address", "alice@a.test", "--address", "alice@r.test", "--address", "alice@q.test", "--data", dataA);
        await RunAsync("domain", "add", "a.test", "--data", dataA);
        await RunAsync("user", "add", "bob", "--password-stdin", "--address", "bob@b.test", "--data", dataB);
        await RunAsync("domain", "add", "b.test", "--data", dataB);
        var dkimRecord = DkimRecord(await RunAsync("dkim", "create", "a.test", "--selector", "s1", "--data", dataA));

        await using var dns = await LoopbackDns.StartAsync(new DnsZone()
            .Mx("b.test", "mx.b.test", 10)
            .A("mx.b.test", "127.0.0.1")
            .Txt("a.test", "v=spf1 ip4:127.0.0.1 -all")
            .Txt("s1._domainkey.a.test", dkimRecord)
            .Txt("_dmarc.a.test", "v=DMARC1; p=reject")
            .Txt("r.test", "v=spf1 ip4:192.0.2.1 -all")
            .Txt("_dmarc.r.test", "v=DMARC1; p=reject")
            .Txt("q.test", "v=spf1 ip4:192.0.2.1 -all")
            .Txt("_dmarc.q.test", "v=DMARC1; p=quarantine"));

        using var serverB = Serve(dataB, "mx.b.test", dns, outboundPort: null);
        var portsB = Ports(serverB, "smtp", "imaps");
        using var serverA = Serve(dataA, "mail.a.test", dns, outboundPort: portsB["smtp"]);
        var portsA = Ports(serverA, "submissions", "imaps");

        await SubmitAsync(portsA["submissions"], "alice@a.test", "signed and aligned");
        await SubmitAsync(portsA["submissions"], "alice@r.test", "rejected by dmarc");
        await SubmitAsync(portsA["submissions"], "alice@q.test", "quarantined by dmarc");
        await SubmitAsync(portsA["submissions"], "alice@a.test", "note to self", to: "alice@a.test");

        var inbox = await WaitForAsync(portsB["imaps"], "bob", "INBOX", 1);
        var passed = Assert.Single(inbox);
        Assert.Equal("signed and aligned", passed.Subject);
        var results = passed.Headers[HeaderId.AuthenticationResults];
        Assert.StartsWith("mx.b.test;", results, StringComparison.Ordinal);
        Assert.Contains("spf=pass", results, StringComparison.Ordinal);
        Assert.Matches(@"dkim=pass \([^)]*\) header\.d=a\.test", results);
        Assert.Contains("dmarc=pass", results, StringComparison.Ordinal);
        Assert.NotNull(passed.Headers[HeaderId.DkimSignature]);

        // STARTTLS was used between the two: B's Received field names the protocol (RFC 3848 ESMTPS).
        Assert.Contains(passed.Headers.Where(h => h.Id == HeaderId.Received), h => h.Value.Contains("ESMTPS", StringComparison.Ordinal));

        var junk = await WaitForAsync(portsB["imaps"], "bob", "Junk", 1);
        var quarantined = Assert.Single(junk);
        Assert.Equal("quarantined by dmarc", quarantined.Subject);
        var junkResults = quarantined.Headers[HeaderId.AuthenticationResults];
        Assert.Contains("spf=fail", junkResults, StringComparison.Ordinal);
        Assert.Contains("dmarc=fail", junkResults, StringComparison.Ordinal);

        // The rejected message comes back to its sender on A as a DSN naming bob and B's 550. Next to it: the note to
        // self and, since its RCPT said NOTIFY=SUCCESS, a report that it was delivered.
        var aliceInbox = await WaitForAsync(portsA["imaps"], "alice", "INBOX", 3);
        Assert.Equal(3, aliceInbox.Count);
        var bounce = Assert.Single(aliceInbox, m => m.Subject == "Undelivered Mail Returned to Sender");
        var success = Assert.Single(aliceInbox, m => m.Subject == "Successful Mail Delivery Report");
        var successStatus = Assert.Single(Assert.IsType<MultipartReport>(success.Body).OfType<MessageDeliveryStatus>());
        Assert.Equal("note-to-self", successStatus.StatusGroups[0]["Original-Envelope-Id"]);
        Assert.Equal(("rfc822; alice@a.test", "delivered", "2.0.0"), (successStatus.StatusGroups[1]["Final-Recipient"], successStatus.StatusGroups[1]["Action"], successStatus.StatusGroups[1]["Status"]));
        var report = Assert.IsType<MultipartReport>(bounce.Body);
        Assert.Equal("delivery-status", report.ReportType);
        var status = Assert.Single(report.OfType<MessageDeliveryStatus>());
        var recipient = status.StatusGroups[1];
        Assert.Equal("rfc822; bob@b.test", recipient["Final-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.Equal("5.7.1", recipient["Status"]);
        Assert.Contains("DMARC", recipient["Diagnostic-Code"], StringComparison.Ordinal);
        Assert.Equal("dns; mx.b.test", recipient["Remote-MTA"]);
        Assert.Contains("Subject: rejected by dmarc", bounce.ToString(), StringComparison.Ordinal);

        // The DSN parameters MailKit sent with the submission (RFC 3461) travelled A → B and came back in the report.
        Assert.Equal("rejected-by-dmarc", status.StatusGroups[0]["Original-Envelope-Id"]);

        // Nothing else arrived at B: the rejected message was not stored anywhere.
        Assert.Single(await WaitForAsync(portsB["imaps"], "bob", "INBOX", 1));
    }

    public void Dispose()
    {
        foreach (var data in new[] { dataA, dataB })
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<string> RunAsync(params string[] args)
    {
        var (code, output, error) = await RampartProcess.RunAsync(Password + "\n", args);
        Assert.True(code == 0, $"rampart {string.Join(' ', args)}: {error}");
        return output;
    }

    /// <summary>The TXT value from <c>s1._domainkey.a.test. IN TXT "…" "…"</c>: the quoted strings joined.</summary>
    private static string DkimRecord(string output)
    {
        var line = output.Split('\n').Single(l => l.StartsWith("s1._domainkey.a.test.", StringComparison.Ordinal));
        return string.Concat(QuotedPattern().Matches(line).Select(m => m.Groups[1].Value));
    }

    private static RampartProcess Serve(string data, string hostName, LoopbackDns dns, int? outboundPort)
    {
        var environment = new Dictionary<string, string>
        {
            ["RAMPART__HostName"] = hostName,
            ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__smtp__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__smtp__Enabled"] = "true",
            ["RAMPART__Smtp__Dns__Servers__0"] = dns.Endpoint.ToString(),
            ["RAMPART__Smtp__Outbound__RetrySchedule"] = "00:00:01",
            ["RAMPART__Smtp__Outbound__RetryPollInterval"] = "00:00:00.100",
            ["RAMPART__Smtp__Outbound__ConnectTimeout"] = "00:00:05",
        };
        if (outboundPort is { } port)
        {
            // B's inbound listener is on a free port, not 25: the MX is found through DNS, the port from here.
            environment["RAMPART__Smtp__Outbound__Port"] = port.ToString(CultureInfo.InvariantCulture);
        }

        return RampartProcess.Start(["serve", "--data", data], environment);
    }

    private static Dictionary<string, int> Ports(RampartProcess server, params string[] names)
    {
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        while (!names.All(ports.ContainsKey))
        {
            var match = ListeningPattern().Match(server.WaitForLine(l => ListeningPattern().IsMatch(l)));
            ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        return ports;
    }

    private static async Task SubmitAsync(int port, string from, string subject, string to = "bob@b.test")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "hello from A\r\n" };
        using var client = new DsnSmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true, DeliveryStatusNotificationType = DeliveryStatusNotificationType.HeadersOnly };
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync("alice", Password);
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
    }

    /// <summary>The messages of <paramref name="mailbox"/> once it holds at least <paramref name="count"/> (the queue
    /// delivers in the background); fails after 20 s.</summary>
    private static async Task<List<MimeMessage>> WaitForAsync(int port, string user, string mailbox, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
            await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.SslOnConnect);
            await client.AuthenticateAsync(user, Password);
            var messages = new List<MimeMessage>();
            var folder = mailbox == "INBOX" ? client.Inbox : await TryGetAsync(client, mailbox);
            if (folder is not null)
            {
                await folder.OpenAsync(FolderAccess.ReadOnly);
                for (var i = 0; i < folder.Count; i++)
                {
                    messages.Add(await folder.GetMessageAsync(i));
                }
            }

            await client.DisconnectAsync(true);
            if (messages.Count >= count || DateTime.UtcNow > deadline)
            {
                return messages;
            }

            await Task.Delay(200);
        }
    }

    private static async Task<IMailFolder?> TryGetAsync(ImapClient client, string name)
    {
        try
        {
            return await client.GetFolderAsync(name);
        }
        catch (FolderNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A client that asks for DSNs (RET=HDRS, ENVID from the subject, NOTIFY=FAILURE,DELAY, or SUCCESS for
    /// alice herself), which MailKit sends when the server offers DSN.</summary>
    private sealed class DsnSmtpClient : SmtpClient
    {
        protected override string GetEnvelopeId(MimeMessage message) => (message.Subject ?? "none").Replace(' ', '-');

        protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox) =>
            mailbox.Address == "alice@a.test" ? DeliveryStatusNotification.Success : DeliveryStatusNotification.Failure | DeliveryStatusNotification.Delay;
    }

    [GeneratedRegex(@"listening (\S+)\s+\S+:(\d+)\s*$")]
    private static partial Regex ListeningPattern();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex QuotedPattern();
}
