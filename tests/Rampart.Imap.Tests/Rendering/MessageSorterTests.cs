using Rampart.Imap.Rendering;
using static Rampart.Imap.Tests.Rendering.SortSamples;

namespace Rampart.Imap.Tests.Rendering;

public class MessageSorterTests
{
    private static uint[] Sort(IReadOnlyList<SortItem> items, params SortCriterion[] criteria) =>
        MessageSorter.Sort(items, criteria).Select(item => item.SequenceNumber).ToArray();

    [Fact]
    public void Arrival_size_and_date_with_fallback_to_internal_date()
    {
        SortItem[] items =
        [
            Item(1, arrivalMinutes: 30, size: 300, dateMinutes: 5),
            Item(2, arrivalMinutes: 10, size: 100, dateMinutes: null),
            Item(3, arrivalMinutes: 20, size: 200, dateMinutes: 40),
        ];
        Assert.Equal([2u, 3u, 1u], Sort(items, new SortCriterion(SortKey.Arrival, false)));
        Assert.Equal([2u, 3u, 1u], Sort(items, new SortCriterion(SortKey.Size, false)));
        Assert.Equal([1u, 3u, 2u], Sort(items, new SortCriterion(SortKey.Size, true)));

        // Message 2 has no Date: its INTERNALDATE (10) is its sent date (RFC 5256 §2.2).
        Assert.Equal([1u, 2u, 3u], Sort(items, new SortCriterion(SortKey.Date, false)));
        Assert.Equal([3u, 2u, 1u], Sort(items, new SortCriterion(SortKey.Date, true)));
    }

    [Fact]
    public void Address_keys_use_ascii_casemap()
    {
        SortItem[] items =
        [
            Item(1, from: "zed", to: "b", cc: "", displayFrom: "Bob", displayTo: "x"),
            Item(2, from: "Alice", to: "A", cc: "c", displayFrom: "alice", displayTo: "Y"),
            Item(3, from: "bob", to: "c", cc: "a", displayFrom: "Zoe", displayTo: "w"),
        ];
        Assert.Equal([2u, 3u, 1u], Sort(items, new SortCriterion(SortKey.From, false)));
        Assert.Equal([2u, 1u, 3u], Sort(items, new SortCriterion(SortKey.To, false)));

        // An empty key sorts first.
        Assert.Equal([1u, 3u, 2u], Sort(items, new SortCriterion(SortKey.Cc, false)));
        Assert.Equal([2u, 1u, 3u], Sort(items, new SortCriterion(SortKey.DisplayFrom, false)));
        Assert.Equal([3u, 1u, 2u], Sort(items, new SortCriterion(SortKey.DisplayTo, false)));
        Assert.Equal([3u, 1u, 2u], Sort(items, new SortCriterion(SortKey.DisplayFrom, true)));
    }

    [Fact]
    public void Subject_uses_the_base_subject()
    {
        SortItem[] items =
        [
            Item(1, subject: "Re: Zebra"),
            Item(2, subject: "[list] Fwd: apple"),
            Item(3, subject: "mango (fwd)"),
        ];
        Assert.Equal([2u, 3u, 1u], Sort(items, new SortCriterion(SortKey.Subject, false)));
    }

    [Fact]
    public void Ties_fall_to_the_next_criterion_then_to_sequence_order_even_when_reversed()
    {
        SortItem[] items =
        [
            Item(4, subject: "b", size: 1),
            Item(1, subject: "a", size: 2),
            Item(3, subject: "a", size: 1),
            Item(2, subject: "a", size: 1),
        ];
        Assert.Equal([2u, 3u, 1u, 4u], Sort(items, new SortCriterion(SortKey.Subject, false), new SortCriterion(SortKey.Size, false)));
        Assert.Equal([1u, 2u, 3u, 4u], Sort(items, new SortCriterion(SortKey.Subject, false), new SortCriterion(SortKey.Size, true)));
        Assert.Equal([4u, 1u, 2u, 3u], Sort(items, new SortCriterion(SortKey.Subject, true), new SortCriterion(SortKey.Size, true)));
        Assert.Equal([1u, 2u, 3u, 4u], Sort(items));
    }
}
