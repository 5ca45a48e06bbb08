namespace Rampart.Imap.Protocol;

/// <summary>A parsed <c>sequence-set</c> (RFC 9051 §9): ranges of message numbers or UIDs, where
/// <see cref="Star"/> stands for <c>*</c>, or <c>$</c> (the saved SEARCH result, RFC 5182).</summary>
/// <remarks>It stays unresolved here: what <c>*</c> and a sequence number mean depends on the selected
/// mailbox, which only the session's view knows.</remarks>
internal sealed class SequenceSet
{
    /// <summary>The value <c>*</c> is parsed to (0 is not a valid number or UID).</summary>
    public const uint Star = 0;

    /// <summary>Most ranges one set may hold. Default 10 000: far above what a client derives from real
    /// mailboxes once ranges are merged, and bounds the work a hostile set can cause (SECURITY.md M08).</summary>
    public const int MaxRanges = 10_000;

    private SequenceSet(IReadOnlyList<(uint Start, uint End)> ranges, bool saved)
    {
        Ranges = ranges;
        IsSavedResult = saved;
    }

    public static SequenceSet SavedResult { get; } = new([], saved: true);

    /// <summary>The ranges as written (possibly high-to-low), with <see cref="Star"/> for <c>*</c>.</summary>
    public IReadOnlyList<(uint Start, uint End)> Ranges { get; }

    /// <summary>True for <c>$</c>.</summary>
    public bool IsSavedResult { get; }

    public static SequenceSet Of(IReadOnlyList<(uint Start, uint End)> ranges) => new(ranges, saved: false);
}
