using MimeKit;
using Rampart.Smtp.Dsn;

namespace Rampart.Smtp.Tests.Queue;

/// <summary>The client's DSN parameters (RFC 3461) in the outbound queue: kept in the envelope across a restart, and
/// honoured when the worker reports: NOTIFY decides whether a failure or a success is reported, RET what of the
/// message comes back, ENVID and ORCPT are echoed (RFC 3464 §2.2.1, §2.3.1).</summary>
public sealed class DsnRequestTests
{
    private const string Remote = "bob@[127.0.0.1]";

    [Fact]
    public async Task The_parameters_survive_a_restart()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", [Remote, "carol@[127.0.0.1]"], QueueFixture.Message(),
            Request(DsnReturn.Headers, "QQ+123", (Remote, DsnNotify.Success | DsnNotify.Failure, "orig@example.test")));
        fixture.Restart();
        var envelope = fixture.Queue.Read(id)!;
        Assert.Equal((DsnReturn.Headers, "QQ+123"), (envelope.Return, envelope.EnvelopeId));
        var bob = envelope.Recipients.Single(r => r.Address == Remote);
        Assert.Equal((DsnNotify.Success | DsnNotify.Failure, "rfc822", "orig@example.test"), (bob.Notify, bob.OriginalRecipientType, bob.OriginalRecipient));
        var carol = envelope.Recipients.Single(r => r.Address != Remote);
        Assert.Equal(DsnNotify.None, carol.Notify);
        Assert.Null(carol.OriginalRecipient);
    }

    [Theory]
    [InlineData(DsnNotify.Never)]
    [InlineData(DsnNotify.Delay)]
    [InlineData(DsnNotify.Success)]
    public async Task A_failure_is_not_reported_when_notify_leaves_out_failure(DsnNotify notify)
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = Sink(fail: true);
        fixture.Options.Port = sink.Port;
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", [Remote], QueueFixture.Message(), Request(DsnReturn.Unspecified, null, (Remote, notify, null)));
        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        Assert.Empty(await fixture.InboxAsync("alice"));
        Assert.Empty(fixture.Queue.List());
    }

    [Fact]
    public async Task A_failure_report_echoes_envid_and_orcpt_and_ret_full_returns_the_message()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = Sink(fail: true);
        fixture.Options.Port = sink.Port;
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", [Remote], QueueFixture.Message("The whole body.\r\n"),
            Request(DsnReturn.Full, "envelope-42", (Remote, DsnNotify.Failure | DsnNotify.Delay, "Bob+tag@example.test")));
        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));

        var (perMessage, recipient, report) = Groups(Assert.Single(await fixture.InboxAsync("alice")));
        Assert.Equal("envelope-42", perMessage["Original-Envelope-Id"]);
        Assert.Equal("rfc822;Bob+tag@example.test", recipient["Original-Recipient"]);
        Assert.Equal("rfc822; " + Remote, recipient["Final-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.Equal("5.1.1", recipient["Status"]);
        var returned = Assert.IsType<MessagePart>(Assert.Single(report, p => p.ContentType.IsMimeType("message", "rfc822")));
        Assert.Contains("The whole body.", returned.Message!.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(report, p => p.ContentType.IsMimeType("text", "rfc822-headers"));
    }

    [Fact]
    public async Task Ret_hdrs_returns_only_the_header()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = Sink(fail: true);
        fixture.Options.Port = sink.Port;
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", [Remote], QueueFixture.Message("Secret body.\r\n"), Request(DsnReturn.Headers, null));
        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));

        var bounce = Assert.Single(await fixture.InboxAsync("alice"));
        var (perMessage, _, report) = Groups(bounce);
        Assert.Null(perMessage["Original-Envelope-Id"]);
        Assert.Contains(report, p => p.ContentType.IsMimeType("text", "rfc822-headers"));
        Assert.DoesNotContain(report, p => p.ContentType.IsMimeType("message", "rfc822"));
        Assert.DoesNotContain("Secret body.", bounce.ToString(), StringComparison.Ordinal);
        Assert.Contains("Subject: test", bounce.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notify_success_reports_relayed_for_a_remote_and_delivered_for_a_local_recipient()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await fixture.Store.CreateAccountAsync("dave", ["dave@local.test"]);
        await using var sink = Sink(fail: false);
        fixture.Options.Port = sink.Port;
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", [Remote, "dave@local.test", "erin@[127.0.0.1]"], QueueFixture.Message(),
            Request(DsnReturn.Full, "ok-1", (Remote, DsnNotify.Success, "bob@example.test"), ("dave@local.test", DsnNotify.Success | DsnNotify.Failure, null)));
        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        Assert.Single(await fixture.InboxAsync("dave"));

        // erin gave no NOTIFY: a success is not reported for her.
        var message = Assert.Single(await fixture.InboxAsync("alice"));
        Assert.Equal("Successful Mail Delivery Report", message.Subject);
        var report = Assert.IsType<MultipartReport>(message.Body);
        var groups = Assert.Single(report.OfType<MessageDeliveryStatus>()).StatusGroups.Where(g => g.Count > 0).ToList();
        Assert.Equal(3, groups.Count);
        Assert.Equal("ok-1", groups[0]["Original-Envelope-Id"]);
        var bob = groups.Single(g => g["Final-Recipient"] == "rfc822; " + Remote);
        Assert.Equal(("relayed", "2.0.0", "rfc822;bob@example.test"), (bob["Action"], bob["Status"], bob["Original-Recipient"]));
        Assert.NotNull(bob["Remote-MTA"]);
        var dave = groups.Single(g => g["Final-Recipient"] == "rfc822; dave@local.test");
        Assert.Equal(("delivered", "2.0.0"), (dave["Action"], dave["Status"]));

        // A success report returns the header only, whatever RET said (RFC 3461 §4.3 is about failures).
        Assert.Contains(report, p => p.ContentType.IsMimeType("text", "rfc822-headers"));
        Assert.DoesNotContain(report, p => p.ContentType.IsMimeType("message", "rfc822"));
    }

    [Fact]
    public async Task A_next_hop_that_offers_DSN_gets_the_parameters_and_reports_success_itself()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = Sink(fail: false);
        sink.Extensions.Add("DSN");
        fixture.Options.Port = sink.Port;
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", [Remote, "erin@[127.0.0.1]"], QueueFixture.Message(),
            Request(DsnReturn.Headers, "a b+c", (Remote, DsnNotify.Success | DsnNotify.Failure, "Bob+tag@example.test"), ("erin@[127.0.0.1]", DsnNotify.Never, null)));
        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));

        var commands = sink.Commands.ToList();
        Assert.Matches(@"^MAIL FROM:<alice@local\.test> SIZE=\d+ BODY=8BITMIME RET=HDRS ENVID=a\+20b\+2Bc$", commands.Single(c => c.StartsWith("MAIL", StringComparison.Ordinal)));
        Assert.Contains($"RCPT TO:<{Remote}> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Bob+2Btag@example.test", commands);
        Assert.Contains("RCPT TO:<erin@[127.0.0.1]> NOTIFY=NEVER", commands);

        // The next hop took over: no "relayed" report from here.
        Assert.Empty(await fixture.InboxAsync("alice"));
    }

    [Fact]
    public async Task A_next_hop_without_DSN_gets_no_parameters()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = Sink(fail: false);
        fixture.Options.Port = sink.Port;
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", [Remote], QueueFixture.Message(),
            Request(DsnReturn.Full, "id-1", (Remote, DsnNotify.Failure, "bob@example.test")));
        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        Assert.DoesNotContain(sink.Commands, c => c.Contains("RET=", StringComparison.Ordinal) || c.Contains("NOTIFY=", StringComparison.Ordinal) || c.Contains("ORCPT=", StringComparison.Ordinal));
        Assert.Empty(await fixture.InboxAsync("alice"));
    }

    [Fact]
    public async Task Notify_delay_sends_one_delay_report_once_the_warning_point_has_passed()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start();
        sink.RcptReply = _ => "451 4.2.0 mailbox busy, try later";
        fixture.Options.Port = sink.Port;
        fixture.Options.DelayWarning = TimeSpan.FromTicks(1);
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", [Remote, "erin@[127.0.0.1]"], QueueFixture.Message(),
            Request(DsnReturn.Full, "slow-1", (Remote, DsnNotify.Delay | DsnNotify.Failure, null)));
        using var worker = fixture.Worker();
        Assert.NotNull(await worker.AttemptAsync(id, CancellationToken.None));

        // erin gave no NOTIFY (failures only): she is not in the delay report.
        var message = Assert.Single(await fixture.InboxAsync("alice"));
        Assert.Equal("Delayed Mail (still being retried)", message.Subject);
        var (perMessage, recipient, report) = Groups(message);
        Assert.Equal("slow-1", perMessage["Original-Envelope-Id"]);
        Assert.Equal(("rfc822; " + Remote, "delayed", "4.2.0"), (recipient["Final-Recipient"], recipient["Action"], recipient["Status"]));
        Assert.NotNull(recipient["Will-Retry-Until"]);
        Assert.DoesNotContain(report, p => p.ContentType.IsMimeType("message", "rfc822"));

        // Once only, also after a restart.
        fixture.Restart();
        Assert.True(fixture.Queue.Read(id)!.Recipients.Single(r => r.Address == Remote).DelayNotified);
        using var again = fixture.Worker();
        Assert.NotNull(await again.AttemptAsync(id, CancellationToken.None));
        Assert.Single(await fixture.InboxAsync("alice"));
    }

    private static SmtpSink Sink(bool fail)
    {
        var sink = SmtpSink.Start();
        if (fail)
        {
            sink.RcptReply = _ => "550 5.1.1 no such user here";
        }

        return sink;
    }

    private static DsnRequest Request(DsnReturn ret, string? envelopeId, params (string Address, DsnNotify Notify, string? Original)[] recipients) =>
        new(ret, envelopeId, recipients.ToDictionary(r => r.Address, r => new RecipientDsn(r.Notify, r.Original is null ? null : "rfc822", r.Original), StringComparer.OrdinalIgnoreCase));

    private static (HeaderList PerMessage, HeaderList Recipient, MultipartReport Report) Groups(MimeMessage message)
    {
        var report = Assert.IsType<MultipartReport>(message.Body);
        var groups = Assert.Single(report.OfType<MessageDeliveryStatus>()).StatusGroups.Where(g => g.Count > 0).ToList();
        Assert.Equal(2, groups.Count);
        return (groups[0], groups[1], report);
    }
}
