using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Rampart.Monitoring.Alerts;

namespace Rampart.Monitoring.Tests.Alerts;

public sealed class AlertDeliveryTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Alert Sample(string subject = "account:ALICE", DateTimeOffset? time = null) =>
        new(AlertKind.NewNetwork, time ?? T0, subject, "alice logged in from a new network 198.51.100.0/24")
        {
            Account = "alice",
            ClientIp = IPAddress.Parse("198.51.100.7"),
            Network = "198.51.100.0/24",
            Protocol = "imap",
            ClientId = "Evil\r\nBcc: x@y\u001b[2J",
            NotifyUser = true,
        };

    [Fact]
    public async Task Repeats_are_deduplicated_and_the_rate_is_capped()
    {
        await using var dispatcher = new AlertDispatcher(new AlertOptions { MaxAlertsPerMinute = 5, DeduplicationWindow = TimeSpan.FromHours(1) });
        Assert.True(dispatcher.Publish(Sample()));
        Assert.False(dispatcher.Publish(Sample(time: T0.AddMinutes(30))));
        Assert.True(dispatcher.Publish(Sample(time: T0.AddMinutes(61))));
        for (var i = 0; i < 10; i++)
        {
            dispatcher.Publish(Sample("s" + i, T0.AddMinutes(61).AddSeconds(30)));
        }

        // T0+61 is within the last minute, so 4 more pass; 6 are dropped by the cap and 1 was by deduplication.
        Assert.Equal(7, dispatcher.Suppressed);
    }

    [Fact]
    public async Task Webhook_receives_signed_json()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/hook/");
        listener.Start();
        var received = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var reader = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(reader);
            var result = (Body: reader.ToArray(), Signature: context.Request.Headers["X-Rampart-Signature"], Type: context.Request.ContentType);
            context.Response.StatusCode = 204;
            context.Response.Close();
            return result;
        });

        var options = new AlertOptions { WebhookUrl = $"http://127.0.0.1:{port}/hook/", WebhookSecret = "hook-secret" };
        using var sink = new WebhookAlertSink(options);
        await using var dispatcher = new AlertDispatcher(options);
        dispatcher.AddSink(sink);
        dispatcher.Start();
        dispatcher.Publish(Sample());
        var (body, signature, type) = await received.WaitAsync(TimeSpan.FromSeconds(30));
        using var json = JsonDocument.Parse(body);
        Assert.Equal("new-network", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal("alice", json.RootElement.GetProperty("account").GetString());
        Assert.Equal("198.51.100.7", json.RootElement.GetProperty("ip").GetString());
        Assert.StartsWith("application/json", type, StringComparison.Ordinal);
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("hook-secret"), body)), signature);
    }

    [Fact]
    public void Webhook_url_must_be_http()
    {
        Assert.Throws<ArgumentException>(() => new WebhookAlertSink(new AlertOptions { WebhookUrl = "file:///etc/passwd" }));
        Assert.Throws<ArgumentException>(() => new WebhookAlertSink(new AlertOptions { WebhookUrl = "not a url" }));
    }

    [Fact]
    public async Task Mail_goes_to_the_admin_and_asks_the_user()
    {
        var mailbox = new RecordingMailbox();
        var sink = new MailAlertSink(mailbox, new AlertOptions { AdminAccount = "postmaster", HostName = "mail.example" });
        await sink.SendAsync(Sample(), CancellationToken.None);
        Assert.Equal(["postmaster", "alice"], mailbox.Delivered.Select(d => d.Account));
        var user = Encoding.UTF8.GetString(mailbox.Delivered[1].Message);
        Assert.Contains("Subject: Was this you?", user, StringComparison.Ordinal);
        Assert.Contains("198.51.100.7", user, StringComparison.Ordinal);
        Assert.Contains("Protocol: imap", user, StringComparison.Ordinal);
        Assert.Contains("rampart sessions kill", user, StringComparison.Ordinal);

        // The client id is hostile text: no header injection, no escape sequence, every line ends in CRLF.
        Assert.DoesNotContain("\nBcc:", user, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', user);
        Assert.DoesNotMatch("[^\r]\n", user);

        // An alert not meant for the user goes to the admin only.
        mailbox.Delivered.Clear();
        await sink.SendAsync(Sample() with { NotifyUser = false }, CancellationToken.None);
        Assert.Equal(["postmaster"], mailbox.Delivered.Select(d => d.Account));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Without_an_admin_account_set_admin_alerts_go_to_the_default_admin_while_it_can_receive()
    {
        var mailbox = new RecordingMailbox();
        var sink = new MailAlertSink(mailbox, new AlertOptions { DefaultAdminAccount = "admin", HostName = "mail.example" });
        await sink.SendAsync(Sample() with { NotifyUser = false }, CancellationToken.None);
        Assert.Empty(mailbox.Delivered);

        mailbox.Receivers.Add("admin");
        await sink.SendAsync(Sample() with { NotifyUser = false }, CancellationToken.None);
        var (account, message) = Assert.Single(mailbox.Delivered);
        Assert.Equal("admin", account);
        Assert.Contains("Subject: Rampart alert:", Encoding.UTF8.GetString(message), StringComparison.Ordinal);

        // An explicit admin account wins over the default one.
        mailbox.Delivered.Clear();
        var configured = new MailAlertSink(mailbox, new AlertOptions { AdminAccount = "postmaster", DefaultAdminAccount = "admin" });
        await configured.SendAsync(Sample() with { NotifyUser = false }, CancellationToken.None);
        Assert.Equal(["postmaster"], mailbox.Delivered.Select(d => d.Account));
    }

    private sealed class RecordingMailbox : IAlertMailbox
    {
        public List<(string Account, byte[] Message)> Delivered { get; } = [];

        /// <summary>Accounts <see cref="CanReceiveAsync"/> answers true for.</summary>
        public HashSet<string> Receivers { get; } = [];

        public Task<bool> CanReceiveAsync(string account, CancellationToken cancellationToken) => Task.FromResult(Receivers.Contains(account));

        public Task DeliverAsync(string account, byte[] message, CancellationToken cancellationToken)
        {
            Delivered.Add((account, message));
            return Task.CompletedTask;
        }
    }
}
