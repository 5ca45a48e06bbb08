namespace Rampart.Imap.Rendering;

/// <summary>Orders messages for SORT (RFC 5256 §3, RFC 5957 DISPLAYFROM/DISPLAYTO).</summary>
/// <remarks>Criteria are compared in order; messages equal on every criterion keep mailbox order (sequence
/// number, RFC 5256 §3 "the order in which they appear in the mailbox"), whatever REVERSE said. Strings are
/// compared with i;ascii-casemap. O(n log n) comparisons, each at most one per criterion.</remarks>
public static class MessageSorter
{
    /// <summary>Returns <paramref name="items"/> in SORT order.</summary>
    public static IReadOnlyList<SortItem> Sort(IReadOnlyList<SortItem> items, IReadOnlyList<SortCriterion> criteria)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(criteria);
        var sorted = items.ToArray();
        Array.Sort(sorted, (a, b) => Compare(a, b, criteria));
        return sorted;
    }

    /// <summary>Compares two messages by the criteria, then by sequence number.</summary>
    public static int Compare(SortItem a, SortItem b, IReadOnlyList<SortCriterion> criteria)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(criteria);
        foreach (var criterion in criteria)
        {
            int order = Compare(a, b, criterion.Key);
            if (order != 0)
            {
                return criterion.Reverse ? -order : order;
            }
        }

        return a.SequenceNumber.CompareTo(b.SequenceNumber);
    }

    private static int Compare(SortItem a, SortItem b, SortKey key) => key switch
    {
        SortKey.Arrival => a.InternalDate.CompareTo(b.InternalDate),
        SortKey.Date => a.SentDate.CompareTo(b.SentDate),
        SortKey.Size => a.Size.CompareTo(b.Size),
        SortKey.Cc => AsciiCasemap.Instance.Compare(a.Fields.SortCc, b.Fields.SortCc),
        SortKey.From => AsciiCasemap.Instance.Compare(a.Fields.SortFrom, b.Fields.SortFrom),
        SortKey.To => AsciiCasemap.Instance.Compare(a.Fields.SortTo, b.Fields.SortTo),
        SortKey.Subject => AsciiCasemap.Instance.Compare(a.Fields.SortSubject, b.Fields.SortSubject),
        SortKey.DisplayFrom => AsciiCasemap.Instance.Compare(a.Fields.DisplayFrom, b.Fields.DisplayFrom),
        SortKey.DisplayTo => AsciiCasemap.Instance.Compare(a.Fields.DisplayTo, b.Fields.DisplayTo),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown sort key."),
    };
}
