using System.Buffers;
using System.Text;
using Rampart.Imap.Rendering;
using static Rampart.Imap.Tests.Rendering.SortSamples;

namespace Rampart.Imap.Tests.Rendering;

public class MessageThreaderTests
{
    private static string Write(IReadOnlyList<ThreadNode> roots, bool useUids = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ThreadWriter.Write(buffer, roots, useUids);
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    /// <summary>A meeting thread with a branch, a lunch thread joined by subject, and a thread whose first message
    /// is missing. Sequence numbers follow dates except where noted.</summary>
    private static readonly SortItem[] Mailbox =
    [
        Item(1, subject: "Meeting", dateMinutes: 1, messageId: "a@x"),
        Item(2, subject: "Re: Meeting", dateMinutes: 2, messageId: "b@x", references: ["a@x"]),
        Item(3, subject: "Re: Meeting", dateMinutes: 3, messageId: "c@x", references: ["a@x", "b@x"]),
        Item(4, subject: "Re: Meeting", dateMinutes: 4, messageId: "d@x", references: ["a@x"]),
        Item(5, subject: "Lunch", dateMinutes: 5, messageId: "e@x"),
        Item(6, subject: "Re: Lunch", dateMinutes: 6, messageId: "f@x", inReplyTo: ["e@x"]),
        Item(7, subject: "Party", dateMinutes: 7, messageId: "g@x", references: ["gone@x"]),
        Item(8, subject: "Re: Party", dateMinutes: 8, messageId: "h@x", references: ["gone@x"]),
        Item(9, subject: "Re: Lunch", dateMinutes: 9, messageId: "i@x"),
    ];

    [Fact]
    public void References_links_prunes_and_gathers_by_subject()
    {
        var roots = MessageThreader.References(Mailbox);
        Assert.Equal("(1 (2 3)(4))(5 (6)(9))((7)(8))", Write(roots));
        Assert.Equal("(101 (102 103)(104))(105 (106)(109))((107)(108))", Write(roots, useUids: true));
    }

    [Fact]
    public void Ordered_subject_groups_by_base_subject_under_the_first_message()
    {
        var roots = MessageThreader.OrderedSubject(Mailbox);
        Assert.Equal("(1 (2)(3)(4))(5 (6)(9))(7 8)", Write(roots));
    }

    [Fact]
    public void Threads_and_siblings_are_ordered_by_sent_date_not_sequence()
    {
        SortItem[] items =
        [
            Item(1, subject: "late", dateMinutes: 50, messageId: "p@x"),
            Item(2, subject: "Re: late", dateMinutes: 60, messageId: "q@x", references: ["p@x"]),
            Item(3, subject: "Re: late", dateMinutes: 55, messageId: "r@x", references: ["p@x"]),
            Item(4, subject: "early", dateMinutes: 1, messageId: "s@x"),
        ];
        Assert.Equal("(4)(1 (3)(2))", Write(MessageThreader.References(items)));
        Assert.Equal("(4)(1 (3)(2))", Write(MessageThreader.OrderedSubject(items)));
    }

    [Fact]
    public void Loops_self_references_duplicates_and_missing_parents_do_not_break_the_tree()
    {
        SortItem[] items =
        [
            Item(1, subject: "one", dateMinutes: 1, messageId: "a@x", references: ["b@x"]),
            Item(2, subject: "two", dateMinutes: 2, messageId: "b@x", references: ["a@x"]),
            Item(3, subject: "three", dateMinutes: 3, messageId: "c@x", references: ["zz@x", "a@x"]),
            Item(4, subject: "four", dateMinutes: 4, messageId: "d@x", references: ["d@x"]),
            Item(5, subject: "five", dateMinutes: 5, messageId: "d@x"),
            Item(6, subject: "six", dateMinutes: 6),
        ];

        // 1 is filed under 2 first (its References); 2's own reference to 1 would close a loop and is not made.
        Assert.Equal("(2 1 3)(4)(5)(6)", Write(MessageThreader.References(items)));
    }

    [Fact]
    public void A_dummy_with_one_child_at_the_top_is_replaced_by_the_child()
    {
        SortItem[] items =
        [
            Item(1, subject: "x", dateMinutes: 1, messageId: "b@x", references: ["gone@x"]),
            Item(2, subject: "y", dateMinutes: 2, messageId: "c@x", references: ["gone@x", "b@x"]),
        ];
        Assert.Equal("(1 2)", Write(MessageThreader.References(items)));
    }

    [Fact]
    public void Same_subject_without_replies_gathers_under_a_dummy()
    {
        SortItem[] items =
        [
            Item(1, subject: "News", dateMinutes: 1, messageId: "a@x"),
            Item(2, subject: "news", dateMinutes: 2, messageId: "b@x"),
        ];
        Assert.Equal("((1)(2))", Write(MessageThreader.References(items)));
    }

    [Fact]
    public void Hostile_mailbox_of_20000_cross_referencing_messages_completes()
    {
        const int count = 20_000;
        var random = new Random(11);
        var items = new SortItem[count];
        for (int i = 0; i < count; i++)
        {
            // Each message references up to 150 others, earlier and later, in random order (loops everywhere), and
            // the first ones also form one long chain.
            var references = Enumerable.Range(0, 150).Select(_ => "m" + random.Next(count) + "@x").ToList();
            if (i > 0)
            {
                references.Add("m" + (i - 1) + "@x");
            }

            items[i] = Item((uint)(i + 1), subject: "Re: same", dateMinutes: random.Next(1000), messageId: "m" + i + "@x", references: [.. references]);
        }

        var roots = MessageThreader.References(items);
        var seen = new HashSet<uint>();
        var pending = new Stack<ThreadNode>(roots);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            Assert.True(node.IsDummy || seen.Add(node.SequenceNumber));
            foreach (var child in node.Children)
            {
                pending.Push(child);
            }
        }

        Assert.Equal(count, seen.Count);
        var buffer = new ArrayBufferWriter<byte>();
        ThreadWriter.Write(buffer, roots, useUids: true);
        Assert.True(buffer.WrittenCount > count);
    }

    [Fact]
    public void Deep_chain_is_written_without_recursion()
    {
        var root = new ThreadNode(1, 1);
        var node = root;
        for (uint i = 2; i <= 100_000; i++)
        {
            var branch = new ThreadNode(i, i);
            node.Children.Add(branch);
            node.Children.Add(new ThreadNode(i + 1_000_000, i + 1_000_000));
            node = branch;
        }

        string text = Write([root]);
        Assert.StartsWith("(1 (2 (3 (4 ", text, StringComparison.Ordinal);
        Assert.Contains(" (100000)(1100000))(1099999))(1099998))", text, StringComparison.Ordinal);
        Assert.EndsWith("(1000003))(1000002))", text, StringComparison.Ordinal);
    }
}
