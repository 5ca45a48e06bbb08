using Microsoft.Extensions.Configuration;
using Rampart.Smtp.Queue;
using Rampart.Store.Quota;

namespace Rampart.Smtp.Tests.Queue;

/// <summary>The queue's local delivery: one copy per account and mailbox, into the mailbox resolved when the recipient
/// was queued, with its DSN parameters; and to an account over its quota it follows <c>Smtp:OverQuotaTemporary</c> as the
/// listeners do (RFC 3463 §3.3 X.2.2 "mailbox full"): permanent fails the recipient at once with a DSN, temporary keeps
/// it pending and retries, and the DSN comes when the queue gives up (RFC 5321 §4.5.4.1, RFC 3464).</summary>
public sealed class LocalDeliveryTests
{
    [Fact]
    public async Task Over_quota_is_permanent_by_default_a_DSN_at_once()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await FullAccountAsync(fixture);
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["full@local.test"], QueueFixture.Message());

        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        Assert.Empty(fixture.Queue.List());
        var (recipient, status) = OutboundQueueTests.AssertSingleReport(Assert.Single(await fixture.InboxAsync("alice")));
        Assert.Equal("rfc822; full@local.test", recipient);
        Assert.Equal("5.2.2", status);
        Assert.Empty(await fixture.InboxAsync("full"));
    }

    [Fact]
    public async Task Over_quota_is_retried_when_temporary_and_delivered_once_there_is_room()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        fixture.Options.OverQuotaTemporary = true;
        var full = await FullAccountAsync(fixture);
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["full@local.test"], QueueFixture.Message());

        using var worker = fixture.Worker();
        var envelope = await worker.AttemptAsync(id, CancellationToken.None);
        Assert.NotNull(envelope);
        var pending = Assert.Single(envelope.Recipients);
        Assert.Equal(RecipientStatus.Pending, pending.Status);
        Assert.Equal("4.2.2", pending.StatusCode);
        Assert.Empty(await fixture.InboxAsync("alice"));

        // The user makes room (here: the quota is lifted); the next attempt delivers, and nobody gets a DSN.
        await AccountQuotaSettings.WriteAsync(fixture.Store, full.Id, AccountQuotaSettings.Default, CancellationToken.None);
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        Assert.Equal("test", Assert.Single(await fixture.InboxAsync("full")).Subject);
        Assert.Empty(await fixture.InboxAsync("alice"));
    }

    [Fact]
    public async Task Over_quota_when_temporary_fails_with_a_DSN_when_the_queue_gives_up()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        fixture.Options.OverQuotaTemporary = true;
        fixture.Options.MaxAge = TimeSpan.FromMilliseconds(1);
        await FullAccountAsync(fixture);
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["full@local.test"], QueueFixture.Message());
        await Task.Delay(10);

        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        var report = Assert.Single(await fixture.InboxAsync("alice"));
        var (recipient, status) = OutboundQueueTests.AssertSingleReport(report);
        Assert.Equal("rfc822; full@local.test", recipient);
        Assert.Equal("4.4.7", status);
        // A local error is no SMTP reply (RFC 3464 §2.3.6): the reason is in the text part.
        Assert.Contains("mailbox full", report.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_addresses_of_one_account_get_one_copy()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await fixture.Store.CreateAccountAsync("dave", ["dave@local.test", "d@local.test"]);
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["dave@local.test", "d@local.test"], QueueFixture.Message());
        using var worker = fixture.Worker();
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        Assert.Single(await fixture.InboxAsync("dave"));
    }

    [Fact]
    public async Task A_local_recipient_queued_with_its_mailbox_is_delivered_there_and_keeps_its_DSN_parameters()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        var full = await FullAccountAsync(fixture);
        await using (var view = await fixture.Store.OpenAccountAsync("full"))
        {
            await view.CreateMailboxAsync("tagged");
        }

        var dsn = new Rampart.Smtp.Dsn.DsnRequest(Rampart.Smtp.Dsn.DsnReturn.Headers, "env-1",
            new Dictionary<string, Rampart.Smtp.Dsn.RecipientDsn> { ["full+tagged@local.test"] = new(Rampart.Smtp.Dsn.DsnNotify.Failure | Rampart.Smtp.Dsn.DsnNotify.Success, "rfc822", "orig@local.test") });
        fixture.Options.OverQuotaTemporary = true;
        var id = await fixture.Queue.EnqueueLocalAsync("alice@local.test", [new LocalRecipient("full+tagged@local.test", "full", "tagged")], QueueFixture.Message(), dsn);
        using var worker = fixture.Worker();
        Assert.NotNull(await worker.AttemptAsync(id, CancellationToken.None));

        await AccountQuotaSettings.WriteAsync(fixture.Store, full.Id, AccountQuotaSettings.Default, CancellationToken.None);
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));
        await using (var view = await fixture.Store.OpenAccountAsync("full"))
        {
            var tagged = (await view.GetMailboxAsync("tagged"))!;
            Assert.Single(await view.ListUidsAsync(tagged.Id));
        }

        Assert.Empty(await fixture.InboxAsync("full"));
        // NOTIFY=SUCCESS kept: the sender hears of the delivery, with the ORCPT.
        var report = Assert.Single(await fixture.InboxAsync("alice"));
        var status = report.BodyParts.OfType<MimeKit.MessageDeliveryStatus>().Single().StatusGroups.Where(g => g.Count > 0).ToList();
        Assert.Equal("delivered", status[1]["Action"]);
        Assert.Equal("rfc822;orig@local.test", status[1]["Original-Recipient"]);
        Assert.Equal("env-1", status[0]["Original-Envelope-Id"]);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("true", true)]
    [InlineData("False", false)]
    public void The_setting_is_bound_from_Smtp_OverQuotaTemporary(string? value, bool expected)
    {
        var settings = new Dictionary<string, string?>();
        if (value is not null)
        {
            settings["Smtp:OverQuotaTemporary"] = value;
        }

        var smtp = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Smtp");
        Assert.Equal(expected, OutboundQueueOptions.Bind(smtp, "mx.test").OverQuotaTemporary);
    }

    [Fact]
    public void A_bad_OverQuotaTemporary_value_names_the_key()
    {
        var smtp = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Smtp:OverQuotaTemporary"] = "sometimes" }).Build().GetSection("Smtp");
        var error = Assert.Throws<FormatException>(() => OutboundQueueOptions.Bind(smtp, "mx.test"));
        Assert.Contains("Smtp:OverQuotaTemporary", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An account "full" whose message quota is 0: every delivery to it is over quota.</summary>
    private static async Task<Rampart.Store.Model.Account> FullAccountAsync(QueueFixture fixture)
    {
        var account = await fixture.Store.CreateAccountAsync("full", ["full@local.test"]);
        await AccountQuotaSettings.WriteAsync(fixture.Store, account.Id, new AccountQuotaSettings { Messages = 0 }, CancellationToken.None);
        return account;
    }
}
