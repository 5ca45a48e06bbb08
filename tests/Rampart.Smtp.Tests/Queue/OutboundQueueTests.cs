using System.Text;
using MimeKit;
using Rampart.Smtp.Queue;

namespace Rampart.Smtp.Tests.Queue;

/// <summary>The outbound queue against real parts: files on disk, the SQLite store, dnsmasq for MX records and a
/// receiving SMTP server on loopback (RFC 5321 §5.1, RFC 7505, RFC 3464).</summary>
public sealed class OutboundQueueTests
{
    [Fact]
    public async Task Enqueue_is_durable_and_seen_after_a_restart()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@example.test", "carol@example.test"], QueueFixture.Message());

        Assert.True(FileOutboundQueue.IsValidId(id));
        Assert.True(File.Exists(Path.Combine(fixture.Queue.Directory, id + ".eml")));
        fixture.Restart();
        var envelope = Assert.Single(fixture.Queue.List());
        Assert.Equal(id, envelope.Id);
        Assert.Equal("alice@local.test", envelope.Sender);
        Assert.Equal(["bob@example.test", "carol@example.test"], envelope.Recipients.Select(r => r.Address));
        Assert.All(envelope.Recipients, r => Assert.Equal(RecipientStatus.Pending, r.Status));
        await using var stored = fixture.Queue.OpenMessage(id);
        Assert.Equal(envelope.Size, stored.Length);
    }

    [Fact]
    public async Task Delivers_to_the_MX_with_dot_stuffing_and_STARTTLS()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start(tls: true);
        await using var dns = await LoopbackDns.StartAsync(new DnsZone().Mx("example.test", "mx1.example.test", 10).A("mx1.example.test", "127.0.0.1"));
        Configure(fixture, sink, dns);
        const string body = "line one\r\n.starts with a dot\r\n..two dots\r\n.\r\nend";
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@example.test"], QueueFixture.Message(body));

        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));

        var received = Assert.Single(sink.Messages);
        Assert.Equal("alice@local.test", received.MailFrom);
        Assert.Equal(["bob@example.test"], received.Recipients);
        Assert.True(received.Tls);
        using var original = new MemoryStream();
        await QueueFixture.Message(body).CopyToAsync(original);
        // The queued message had no final CRLF; transparency adds one and takes the stuffed dots away again.
        Assert.Equal(Encoding.UTF8.GetString(original.ToArray()) + "\r\n", received.Text);
        Assert.Contains(sink.Commands, c => c.StartsWith("MAIL FROM:<alice@local.test> SIZE=", StringComparison.Ordinal) && c.EndsWith(" BODY=8BITMIME", StringComparison.Ordinal));
        Assert.Empty(fixture.Queue.List());
    }

    [Fact]
    public async Task Tries_MX_hosts_in_preference_order()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var low = SmtpSink.Start(address: "127.0.0.1");
        await using var preferred = SmtpSink.Start(port: low.Port, address: "127.0.0.3");
        await using var dns = await LoopbackDns.StartAsync(new DnsZone()
            .Mx("example.test", "mxa.example.test", 20).A("mxa.example.test", "127.0.0.1")
            .Mx("example.test", "mxb.example.test", 10).A("mxb.example.test", "127.0.0.3"));
        Configure(fixture, low, dns);
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@example.test"], QueueFixture.Message());

        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        Assert.Single(preferred.Messages);
        Assert.Empty(low.Messages);
    }

    [Fact]
    public async Task Falls_back_to_the_second_MX_when_the_first_refuses_connections()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start();
        await using var dns = await LoopbackDns.StartAsync(new DnsZone()
            .Mx("example.test", "mx1.example.test", 10).A("mx1.example.test", "127.0.0.2")
            .Mx("example.test", "mx2.example.test", 20).A("mx2.example.test", "127.0.0.1"));
        Configure(fixture, sink, dns);
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@example.test"], QueueFixture.Message());

        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        Assert.Single(sink.Messages);
    }

    [Fact]
    public async Task Uses_the_implicit_MX_when_the_domain_has_only_an_address()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start();
        await using var dns = await LoopbackDns.StartAsync(new DnsZone().A("example.test", "127.0.0.1"));
        Configure(fixture, sink, dns);
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@example.test"], QueueFixture.Message());

        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        Assert.Equal(["bob@example.test"], Assert.Single(sink.Messages).Recipients);
    }

    [Fact]
    public async Task Null_MX_fails_at_once_with_a_DSN_to_the_local_sender()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start();

        // RFC 7505 §3: MX 0 "." — RDATA is preference 0 and the root name.
        await using var dns = await LoopbackDns.StartAsync(new DnsZone().Raw("example.test", 15, "000000").A("example.test", "127.0.0.1"));
        Configure(fixture, sink, dns);
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@example.test"], QueueFixture.Message());

        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        Assert.Empty(sink.Messages);
        var (recipient, status) = AssertSingleReport(Assert.Single(await fixture.InboxAsync("alice")));
        Assert.Equal("rfc822; bob@example.test", recipient);
        Assert.Equal("5.1.10", status);
    }

    [Fact]
    public async Task A_5xx_recipient_gets_a_DSN_while_the_accepted_one_is_delivered()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start();
        sink.RcptReply = rcpt => rcpt == "bob@[127.0.0.1]" ? "550 5.1.1 no such user here" : null;
        Configure(fixture, sink, dns: null);
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@[127.0.0.1]", "carol@[127.0.0.1]"], QueueFixture.Message());

        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        Assert.Equal(["carol@[127.0.0.1]"], Assert.Single(sink.Messages).Recipients);
        var report = Assert.Single(await fixture.InboxAsync("alice"));
        var (recipient, status) = AssertSingleReport(report);
        Assert.Equal("rfc822; bob@[127.0.0.1]", recipient);
        Assert.Equal("5.1.1", status);
        var deliveryStatus = report.BodyParts.OfType<MessageDeliveryStatus>().Single();
        Assert.Contains("550 5.1.1 no such user here", deliveryStatus.StatusGroups.Where(g => g.Count > 0).Last()["Diagnostic-Code"], StringComparison.Ordinal);
        Assert.Equal("auto-replied", report.Headers["Auto-Submitted"]);
        Assert.Contains(report.BodyParts, p => p.ContentType.IsMimeType("text", "rfc822-headers"));
    }

    [Fact]
    public async Task A_4xx_is_retried_after_the_backoff_and_then_delivered_once()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start();
        sink.DataReply = n => n == 1 ? "451 4.3.0 try again later" : null;
        Configure(fixture, sink, dns: null);
        using var worker = fixture.Worker();
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);

        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@[127.0.0.1]"], QueueFixture.Message());
        await sink.WaitForMessageAsync();
        await WaitUntilAsync(() => fixture.Queue.Read(id) is null);
        stop.Cancel();
        await run;

        Assert.Single(sink.Messages);
        Assert.Equal(2, sink.Commands.Count(c => c == "DATA"));
        Assert.Empty(await fixture.InboxAsync("alice"));
    }

    [Fact]
    public async Task A_recipient_delivered_once_is_never_sent_again()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start();
        sink.RcptReply = rcpt => rcpt == "bob@[127.0.0.1]" ? "450 4.2.1 mailbox busy" : null;
        Configure(fixture, sink, dns: null);
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@[127.0.0.1]", "carol@[127.0.0.1]"], QueueFixture.Message());
        using (var worker = fixture.Worker())
        {
            var envelope = await worker.AttemptAsync(id, CancellationToken.None);
            Assert.NotNull(envelope);
            Assert.Equal(1, envelope.Attempts);
            Assert.Equal(RecipientStatus.Pending, envelope.Recipients[0].Status);
            Assert.Equal("450 4.2.1 mailbox busy", envelope.Recipients[0].LastReply);
            Assert.Equal(RecipientStatus.Delivered, envelope.Recipients[1].Status);
        }

        // After a restart (new objects over the same files) only bob is tried.
        fixture.Restart();
        sink.RcptReply = _ => null;
        using (var worker = fixture.Worker())
        {
            Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        }

        Assert.Equal(2, sink.Messages.Count);
        Assert.Equal(["bob@[127.0.0.1]"], sink.Messages.Last().Recipients);
    }

    [Fact]
    public async Task The_queue_survives_a_restart_while_the_destination_is_down()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        int port;
        await using (var probe = SmtpSink.Start())
        {
            port = probe.Port;
        }

        fixture.Options.Port = port;
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@[127.0.0.1]"], QueueFixture.Message());
        using (var worker = fixture.Worker())
        {
            var envelope = await worker.AttemptAsync(id, CancellationToken.None);
            Assert.NotNull(envelope);
            Assert.Contains("127.0.0.1", envelope.LastError, StringComparison.Ordinal);
            Assert.True(envelope.NextAttempt > envelope.Created);
        }

        fixture.Restart();
        await using var sink = SmtpSink.Start(port);
        using var restarted = fixture.Worker();
        using var stop = new CancellationTokenSource();
        var run = restarted.RunAsync(stop.Token);
        await sink.WaitForMessageAsync();
        await WaitUntilAsync(() => fixture.Queue.List().Count == 0);
        stop.Cancel();
        await run;
        Assert.Single(sink.Messages);
    }

    [Fact]
    public async Task Local_recipients_go_straight_to_the_store()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await fixture.Store.CreateAccountAsync("dave", ["dave@local.test"]);
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["dave@local.test"], QueueFixture.Message());
        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        Assert.Equal("test", Assert.Single(await fixture.InboxAsync("dave")).Subject);
    }

    [Fact]
    public async Task The_null_sender_never_gets_a_DSN()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start();
        sink.RcptReply = _ => "550 5.1.1 no";
        Configure(fixture, sink, dns: null);
        var id = await fixture.Queue.EnqueueAsync(string.Empty, ["bob@[127.0.0.1]"], QueueFixture.Message());
        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        Assert.Empty(fixture.Queue.List());
        Assert.Contains("MAIL FROM:<> SIZE=", string.Join("\n", sink.Commands), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_remote_sender_gets_the_DSN_queued_with_the_null_sender()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start();
        sink.RcptReply = rcpt => rcpt.StartsWith("bob", StringComparison.Ordinal) ? "550 5.1.1 no" : null;
        Configure(fixture, sink, dns: null);
        var id = await fixture.Queue.EnqueueAsync("eve@[127.0.0.1]", ["bob@[127.0.0.1]"], QueueFixture.Message());
        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));

        var dsn = Assert.Single(fixture.Queue.List());
        Assert.Equal(string.Empty, dsn.Sender);
        Assert.Null(await worker.AttemptAsync(dsn.Id, CancellationToken.None));
        var received = Assert.Single(sink.Messages);
        Assert.Equal(string.Empty, received.MailFrom);
        Assert.Equal(["eve@[127.0.0.1]"], received.Recipients);
        AssertSingleReport(MimeMessage.Load(new MemoryStream(received.Data)));
    }

    [Fact]
    public async Task Past_the_maximum_age_pending_recipients_fail_with_4_4_7()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        fixture.Options.MaxAge = TimeSpan.FromMilliseconds(1);
        fixture.Options.Port = 9;
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@[127.0.0.1]"], QueueFixture.Message());
        await Task.Delay(10);
        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        var (_, status) = AssertSingleReport(Assert.Single(await fixture.InboxAsync("alice")));
        Assert.Equal("4.4.7", status);
    }

    [Fact]
    public async Task RequireTls_keeps_mail_from_a_server_without_STARTTLS()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start(tls: false);
        Configure(fixture, sink, dns: null);
        fixture.Options.RequireTls = true;
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@[127.0.0.1]"], QueueFixture.Message());
        using var worker = fixture.Worker();
        var envelope = await worker.AttemptAsync(id, CancellationToken.None);
        Assert.NotNull(envelope);
        Assert.Contains("TLS is required", envelope.LastError, StringComparison.Ordinal);
        Assert.Empty(sink.Messages);
        Assert.DoesNotContain(sink.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RequireTls_refuses_a_certificate_that_does_not_validate()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start(tls: true);
        Configure(fixture, sink, dns: null);
        fixture.Options.RequireTls = true;
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@[127.0.0.1]"], QueueFixture.Message());
        using var worker = fixture.Worker();
        var envelope = await worker.AttemptAsync(id, CancellationToken.None);
        Assert.NotNull(envelope);
        Assert.Contains("TLS handshake failed", envelope.LastError, StringComparison.Ordinal);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task Retry_requests_and_delete_work_on_the_files()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@[127.0.0.1]"], QueueFixture.Message());
        Assert.True(fixture.Queue.RequestRetry(id));
        Assert.False(fixture.Queue.RequestRetry("../../etc/passwd"));
        Assert.Equal([id], fixture.Queue.TakeRetryRequests());
        Assert.Empty(fixture.Queue.TakeRetryRequests());
        Assert.True(fixture.Queue.Delete(id));
        Assert.False(fixture.Queue.Delete(id));
        Assert.Empty(Directory.EnumerateFiles(fixture.Queue.Directory));
    }

    [Fact]
    public async Task A_crash_before_the_envelope_leaves_an_orphan_that_is_removed()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        var orphan = Path.Combine(fixture.Queue.Directory, "20260101T000000000-00000000.eml");
        await File.WriteAllTextAsync(orphan, "half");
        File.SetLastWriteTimeUtc(orphan, DateTime.UtcNow.AddHours(-2));
        Assert.Empty(fixture.Queue.List());
        Assert.Equal(1, fixture.Queue.RemoveOrphans(TimeSpan.FromHours(1)));
        Assert.False(File.Exists(orphan));
    }

    internal static (string Recipient, string Status) AssertSingleReport(MimeMessage message)
    {
        var report = Assert.IsType<MultipartReport>(message.Body);
        Assert.Equal("delivery-status", report.ReportType);
        var status = report.OfType<MessageDeliveryStatus>().Single();
        // The writer ends the part with a blank line, which a parser may count as an empty group.
        var groups = status.StatusGroups.Where(g => g.Count > 0).ToList();
        Assert.Equal(2, groups.Count);
        var group = groups[1];
        Assert.Equal("failed", group["Action"]);
        return (group["Final-Recipient"]!, group["Status"]!);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(50);
        }
    }

    private static void Configure(QueueFixture fixture, SmtpSink sink, LoopbackDns? dns)
    {
        fixture.Options.Port = sink.Port;
        if (dns is not null)
        {
            fixture.Options.DnsServers = [dns.Endpoint];
        }
    }
}
