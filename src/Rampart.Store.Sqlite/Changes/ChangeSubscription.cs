using System.Threading.Channels;
using Rampart.Store.Changes;

namespace Rampart.Store.Sqlite.Changes;

/// <summary>One subscriber's bounded queue. When it holds <c>capacity</c> changes, the next change is replaced by one
/// <see cref="FeedOverflow"/> (in a slot kept for it) and later changes are dropped until the subscriber has read
/// some; it must then re-read the mailbox state, which includes everything it missed.</summary>
internal sealed class ChangeSubscription : IChangeSubscription
{
    private readonly Channel<MailChange> channel;
    private readonly ChangeNotifier owner;
    private readonly int capacity;
    private bool overflowed;

    public ChangeSubscription(ChangeNotifier owner, int capacity, long startAfter)
    {
        this.owner = owner;
        StartAfter = startAfter;
        this.capacity = capacity;
        channel = Channel.CreateBounded<MailChange>(new BoundedChannelOptions(capacity + 1)
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

        var queued = channel.Reader.Count;
        if (overflowed)
        {
            if (queued >= capacity)
            {
                return;
            }

            overflowed = false;
        }

        if (queued >= capacity)
        {
            overflowed = true;
            channel.Writer.TryWrite(new FeedOverflow());
            return;
        }

        channel.Writer.TryWrite(change);
    }

    public void Complete() => channel.Writer.TryComplete();

    public void Dispose()
    {
        owner.Remove(this);
        channel.Writer.TryComplete();
    }
}
