namespace Rampart.Imap.Rendering;

/// <summary>Builds THREAD trees (RFC 5256 §3 ORDEREDSUBJECT and REFERENCES).</summary>
/// <remarks>
/// Every step is iterative (a hostile mailbox can chain 100,000 replies) and bounded: a message's references are cut
/// to its last <see cref="MaxReferences"/>, the loop check walks at most <see cref="MaxAncestorWalk"/> parents, and
/// all loop checks of one command share a budget of <see cref="WalkStepsPerMessage"/> steps per message. A link
/// whose check hits a bound is not made, as if it would close a loop: the thread splits instead of the server
/// spending quadratic time. Real threads stay far inside these bounds.
/// </remarks>
public static class MessageThreader
{
    /// <summary>Most message ids of one References header used: the last 100. Clients trim long References
    /// (RFC 5322 §3.6.4 keeps the first and the most recent); the most recent ones place the message.</summary>
    public const int MaxReferences = 100;

    /// <summary>Most ancestors one loop check visits: 1,000. A deeper link is refused (the thread splits).</summary>
    public const int MaxAncestorWalk = 1000;

    /// <summary>Loop-check steps allowed per message in one THREAD command: 2,000 (on average), which keeps the
    /// whole algorithm linear in the number of messages. Once spent, further links needing a check are refused.</summary>
    public const int WalkStepsPerMessage = 2000;

    /// <summary>ORDEREDSUBJECT: messages grouped by base subject; each group's earliest message (by sent date) is the
    /// parent of the others, in date order; threads ordered by their first message's date.</summary>
    public static IReadOnlyList<ThreadNode> OrderedSubject(IReadOnlyList<SortItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var groups = new Dictionary<string, List<SortItem>>(StringComparer.Ordinal);
        var order = new List<List<SortItem>>();
        foreach (var item in items)
        {
            string subject = item.Fields.SortSubject ?? string.Empty;
            if (!groups.TryGetValue(subject, out var group))
            {
                group = [];
                groups.Add(subject, group);
                order.Add(group);
            }

            group.Add(item);
        }

        foreach (var group in order)
        {
            group.Sort(CompareByDate);
        }

        order.Sort((a, b) => CompareByDate(a[0], b[0]));
        var roots = new List<ThreadNode>(order.Count);
        foreach (var group in order)
        {
            var root = new ThreadNode(group[0].Uid, group[0].SequenceNumber);
            for (int i = 1; i < group.Count; i++)
            {
                root.Children.Add(new ThreadNode(group[i].Uid, group[i].SequenceNumber));
            }

            roots.Add(root);
        }

        return roots;
    }

    /// <summary>REFERENCES (RFC 5256 §3): threads from Message-ID, References and In-Reply-To, dummies pruned,
    /// top-level threads with the same base subject gathered, siblings sorted by sent date.</summary>
    public static IReadOnlyList<ThreadNode> References(IReadOnlyList<SortItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var threader = new ReferenceThreader(items.Count);
        foreach (var item in items)
        {
            threader.Add(item);
        }

        return threader.Finish();
    }

    /// <summary>Sent date, then sequence number (RFC 5256: mailbox order breaks ties).</summary>
    internal static int CompareByDate(SortItem a, SortItem b)
    {
        int order = a.SentDate.CompareTo(b.SentDate);
        return order != 0 ? order : a.SequenceNumber.CompareTo(b.SequenceNumber);
    }
}
