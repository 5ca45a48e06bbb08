using System.Threading.Channels;
using Rampart.Store.Changes;

namespace Rampart.Store.Sqlite.Changes;

/// <summary>One subscriber's bounded queue. When it is full the subscriber misses changes; it then gets one
/// <see cref="FeedOverflow"/> as soon as there is room, before any later change, and must re-read the mailbox.</summary>
internal sealed class ChangeSubscription : IChangeSubscription
{
    private readonly Channel<MailChange> channel;
    private readonly ChangeNotifier owner;
    private bool overflowed;

    public ChangeSubscription(ChangeNotifier owner, int capacity, long startAfter)
    {
        this.owner = owner;
        StartAfter = startAfter;
        channel = Channel.CreateBounded<MailChange>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
            SingleReader = false,
        });
    }

    public ChannelReader<MailChange> Changes => channel.Reader;

    /// <summary>Change-log id at subscription time: older rows are not delivered to this subscriber.</summary>
    public long StartAfter { get; }

    /// <summary>Called by the notifier's single pump, in commit order.</summary>
    public void Publish(long id, MailChange change)
    {
        if (id <= StartAfter)
        {
            return;
        }

        if (overflowed)
        {
            if (!channel.Writer.TryWrite(new FeedOverflow()))
            {
                return;
            }

            overflowed = false;
        }

        if (!channel.Writer.TryWrite(change))
        {
            overflowed = true;
        }
    }

    /// <summary>Tells the subscriber it missed changes (its position was pruned from the log).</summary>
    public void Overflow()
    {
        if (!channel.Writer.TryWrite(new FeedOverflow()))
        {
            overflowed = true;
        }
    }

    public void Complete() => channel.Writer.TryComplete();

    public void Dispose()
    {
        owner.Remove(this);
        channel.Writer.TryComplete();
    }
}
