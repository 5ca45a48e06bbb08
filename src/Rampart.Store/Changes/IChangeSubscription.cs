using System.Threading.Channels;

namespace Rampart.Store.Changes;

/// <summary>A session's view of its account's change feed. Disposing it unsubscribes.</summary>
public interface IChangeSubscription : IDisposable
{
    /// <summary>Changes in commit order. The channel is bounded; a subscriber that falls too far behind gets
    /// <see cref="FeedOverflow"/> and must re-read the mailbox state.</summary>
    ChannelReader<MailChange> Changes { get; }
}

/// <summary>Sent instead of the changes a slow subscriber missed: re-read the mailbox from the store.</summary>
public sealed record FeedOverflow() : MailChange(0);
