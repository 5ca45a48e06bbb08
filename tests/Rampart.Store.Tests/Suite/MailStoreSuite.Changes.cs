using System.Threading.Channels;
using Rampart.Store.Changes;
using Rampart.Store.Model;

namespace Rampart.Store.Tests.Suite;

public abstract partial class MailStoreSuite
{
    /// <summary>Generous: the contract is "within 1 s" for other processes; a loaded CI machine gets slack.</summary>
    private static readonly TimeSpan FeedWait = TimeSpan.FromSeconds(10);

    protected static async Task<MailChange> NextChangeAsync(ChannelReader<MailChange> reader)
    {
        using var timeout = new CancellationTokenSource(FeedWait);
        return await reader.ReadAsync(timeout.Token);
    }

    [Fact]
    public async Task Change_feed_delivers_every_change_in_commit_order_to_each_subscriber()
    {
        var account = await NewAccountAsync();
        var inbox = await MailboxAsync(account, "INBOX");
        using var first = account.Subscribe();
        using var second = (await Store.OpenAccountAsync("alice")).Subscribe();

        var appended = await AppendAsync(account, Message());
        var stored = await account.StoreFlagsAsync(inbox.Id, UidSet.Of(appended.Uid), new FlagChange(FlagOperation.Add, Flags(SystemFlags.Deleted, "gone")));
        var expunged = await account.ExpungeAsync(inbox.Id);
        var created = await account.CreateMailboxAsync("Feed");
        await account.RenameMailboxAsync("Feed", "Feed2");
        await account.SetSubscribedAsync("Feed2", true);
        await account.DeleteMailboxAsync("Feed2");

        MailChange[] expected =
        [
            new MessageAdded(inbox.Id, appended.Uid, appended.ModSeq),
            new FlagsChanged(inbox.Id, appended.Uid, stored.Changed[0].ModSeq, stored.Changed[0].Flags),
            new MessagesExpunged(inbox.Id, [appended.Uid], expunged.ModSeq),
            new MailboxCreated(created.Id, "Feed"),
            new MailboxRenamed(created.Id, "Feed", "Feed2"),
            new SubscriptionChanged(created.Id, "Feed2", true),
            new MailboxDeleted(created.Id, "Feed2"),
        ];
        foreach (var subscription in new[] { first, second })
        {
            foreach (var want in expected)
            {
                var got = await NextChangeAsync(subscription.Changes);
                Assert.Equal(want.GetType(), got.GetType());
                Assert.Equal(want.MailboxId, got.MailboxId);
                switch (want, got)
                {
                    case (FlagsChanged w, FlagsChanged g):
                        Assert.Equal(w.ModSeq, g.ModSeq);
                        Assert.Equal(w.Flags.System, g.Flags.System);
                        Assert.Equal(w.Flags.Keywords, g.Flags.Keywords);
                        break;
                    case (MessagesExpunged w, MessagesExpunged g):
                        Assert.Equal(w.Uids, g.Uids);
                        Assert.Equal(w.ModSeq, g.ModSeq);
                        break;
                    default:
                        Assert.Equal(want, got);
                        break;
                }
            }
        }
    }

    [Fact]
    public async Task Changes_made_before_subscribing_are_not_delivered()
    {
        var account = await NewAccountAsync();
        await AppendAsync(account, Message());
        using var subscription = account.Subscribe();
        var later = await AppendAsync(account, Message());
        var change = Assert.IsType<MessageAdded>(await NextChangeAsync(subscription.Changes));
        Assert.Equal(later.Uid, change.Uid);
    }

    [Fact]
    public async Task A_change_through_a_second_store_instance_reaches_a_subscriber_of_the_first()
    {
        var account = await NewAccountAsync();
        using var subscription = account.Subscribe();
        var other = await OpenAsync();
        using var stream = new MemoryStream(Message("from another process"));
        var outcome = Assert.Single(await other.DeliverAsync(stream, [new DeliveryTarget("alice", null, MessageFlags.Empty)]));
        var change = Assert.IsType<MessageAdded>(await NextChangeAsync(subscription.Changes));
        Assert.Equal(outcome.Result!.Uid, change.Uid);
        Assert.Equal(outcome.Result.MailboxId, change.MailboxId);
        // And the first instance reads it.
        Assert.Equal([outcome.Result.Uid], await account.ListUidsAsync(outcome.Result.MailboxId));
    }

    [Fact]
    public async Task Disposing_a_subscription_stops_it()
    {
        var account = await NewAccountAsync();
        var subscription = account.Subscribe();
        subscription.Dispose();
        await AppendAsync(account, Message());
        using var timeout = new CancellationTokenSource(FeedWait);
        Assert.False(await subscription.Changes.WaitToReadAsync(timeout.Token));
    }
}
