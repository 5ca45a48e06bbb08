namespace Rampart.Imap.Rendering;

/// <summary>The state of one THREAD=REFERENCES run (RFC 5256 §3, steps 1 to 6), with the bounds documented on
/// <see cref="MessageThreader"/>. Containers keep their children in a doubly linked list so that moving a message to
/// a new parent costs O(1) however many siblings it has.</summary>
internal sealed class ReferenceThreader
{
    private readonly Dictionary<string, Container> ids = new(StringComparer.Ordinal);
    private readonly List<Container> containers = [];
    private long walkBudget;

    public ReferenceThreader(int messageCount)
    {
        walkBudget = ((long)messageCount * MessageThreader.WalkStepsPerMessage) + MessageThreader.MaxAncestorWalk;
    }

    /// <summary>Step 1: file the message under its Message-ID and link its references.</summary>
    public void Add(SortItem item)
    {
        // 1A: a Message-ID seen before only as a reference fills that container; a missing or duplicate one is
        // treated as unique.
        Container message;
        string? id = item.Fields.MessageId;
        if (!string.IsNullOrEmpty(id) && ids.TryGetValue(id, out var existing))
        {
            if (existing.Item is null)
            {
                existing.Item = item;
                message = existing;
            }
            else
            {
                message = New(item);
            }
        }
        else
        {
            message = New(item);
            if (!string.IsNullOrEmpty(id))
            {
                ids.Add(id, message);
            }
        }

        // 1B: References, or else the first In-Reply-To id; link each to the next unless already linked or a loop.
        var references = item.Fields.References.Count > 0
            ? item.Fields.References
            : item.Fields.InReplyTo.Count > 0 ? [item.Fields.InReplyTo[0]] : [];
        Container? previous = null;
        int start = Math.Max(0, references.Count - MessageThreader.MaxReferences);
        for (int i = start; i < references.Count; i++)
        {
            string reference = references[i];
            if (string.IsNullOrEmpty(reference))
            {
                continue;
            }

            if (!ids.TryGetValue(reference, out var container))
            {
                container = New(null);
                ids.Add(reference, container);
            }

            if (previous is not null && container.Parent is null && !WouldLoop(previous, container))
            {
                Link(previous, container);
            }

            previous = container;
        }

        // 1C: the last reference is the parent; an earlier parent came from a truncated References elsewhere.
        if (previous is not null && previous != message && message.Parent != previous && !WouldLoop(previous, message))
        {
            Unlink(message);
            Link(previous, message);
        }
    }

    /// <summary>Steps 2 to 6, then the result tree.</summary>
    public IReadOnlyList<ThreadNode> Finish()
    {
        // Step 2: the root set, under one virtual root.
        var root = new Container(null);
        foreach (var container in containers)
        {
            if (container.Parent is null)
            {
                Link(root, container);
            }
        }

        ids.Clear();
        Prune(root);

        // Step 4: top-level sort (a dummy by its first child, after sorting its children).
        for (var top = root.FirstChild; top is not null; top = top.Next)
        {
            if (top.Item is null)
            {
                SortChildren(top);
            }
        }

        SortChildren(root);
        GatherSubjects(root);
        SortAll(root);
        return ToNodes(root);
    }

    private Container New(SortItem? item)
    {
        var container = new Container(item);
        containers.Add(container);
        return container;
    }

    /// <summary>Whether making <paramref name="child"/> a child of <paramref name="parent"/> would make a loop: the
    /// child is the parent or one of its ancestors. A walk past a bound answers yes.</summary>
    private bool WouldLoop(Container parent, Container child)
    {
        int steps = 0;
        for (var at = parent; at is not null; at = at.Parent)
        {
            if (at == child || ++steps > MessageThreader.MaxAncestorWalk || --walkBudget < 0)
            {
                return true;
            }
        }

        return false;
    }

    private static void Link(Container parent, Container child)
    {
        child.Parent = parent;
        child.Previous = parent.LastChild;
        child.Next = null;
        if (parent.LastChild is null)
        {
            parent.FirstChild = child;
        }
        else
        {
            parent.LastChild.Next = child;
        }

        parent.LastChild = child;
        parent.ChildCount++;
    }

    private static void Unlink(Container child)
    {
        var parent = child.Parent;
        if (parent is null)
        {
            return;
        }

        if (child.Previous is null)
        {
            parent.FirstChild = child.Next;
        }
        else
        {
            child.Previous.Next = child.Next;
        }

        if (child.Next is null)
        {
            parent.LastChild = child.Previous;
        }
        else
        {
            child.Next.Previous = child.Previous;
        }

        parent.ChildCount--;
        child.Parent = null;
        child.Previous = null;
        child.Next = null;
    }

    /// <summary>Puts the children of <paramref name="dummy"/> where it is among its siblings, in order, and drops it.
    /// Returns the first promoted child.</summary>
    private static Container? Splice(Container dummy)
    {
        var parent = dummy.Parent!;
        var first = dummy.FirstChild;
        var last = dummy.LastChild;
        for (var child = first; child is not null; child = child.Next)
        {
            child.Parent = parent;
        }

        if (first is null)
        {
            var next = dummy.Next;
            Unlink(dummy);
            return next;
        }

        first.Previous = dummy.Previous;
        last!.Next = dummy.Next;
        if (dummy.Previous is null)
        {
            parent.FirstChild = first;
        }
        else
        {
            dummy.Previous.Next = first;
        }

        if (dummy.Next is null)
        {
            parent.LastChild = last;
        }
        else
        {
            dummy.Next.Previous = last;
        }

        parent.ChildCount += dummy.ChildCount - 1;
        dummy.Parent = null;
        dummy.FirstChild = dummy.LastChild = dummy.Previous = dummy.Next = null;
        dummy.ChildCount = 0;
        return first;
    }

    /// <summary>Step 3: a dummy without children goes; a dummy with children gives way to them, except at the top
    /// level when it groups more than one. Below the top level every dummy goes, so the order does not matter there;
    /// the top level is decided after, once each dummy's own children are pruned.</summary>
    private static void Prune(Container root)
    {
        var pending = new Stack<Container>();
        for (var top = root.FirstChild; top is not null; top = top.Next)
        {
            pending.Push(top);
        }

        while (pending.Count > 0)
        {
            var parent = pending.Pop();
            var child = parent.FirstChild;
            while (child is not null)
            {
                if (child.Item is not null)
                {
                    pending.Push(child);
                    child = child.Next;
                }
                else
                {
                    // The promoted children are examined in turn: they may be dummies themselves.
                    child = Splice(child);
                }
            }
        }

        var current = root.FirstChild;
        while (current is not null)
        {
            current = current.Item is null && current.ChildCount <= 1 ? Splice(current) : current.Next;
        }
    }

    /// <summary>Step 5: top-level threads with the same base subject are gathered under one.</summary>
    private static void GatherSubjects(Container root)
    {
        var table = new Dictionary<string, Container>(StringComparer.Ordinal);
        for (var top = root.FirstChild; top is not null; top = top.Next)
        {
            string subject = Subject(top);
            if (subject.Length == 0)
            {
                continue;
            }

            // 5B: a dummy, or else a message that is not a reply, leads.
            if (!table.TryGetValue(subject, out var entry)
                || (entry.Item is not null && (top.Item is null || (IsReply(entry) && !IsReply(top)))))
            {
                table[subject] = top;
            }
        }

        var current = root.FirstChild;
        while (current is not null)
        {
            var next = current.Next;
            string subject = Subject(current);
            if (subject.Length == 0 || !table.TryGetValue(subject, out var entry) || entry == current)
            {
                current = next;
                continue;
            }

            if (entry.Item is null && current.Item is null)
            {
                // Both dummies: the current one's children join the table's.
                Unlink(current);
                while (current.FirstChild is { } child)
                {
                    Unlink(child);
                    Link(entry, child);
                }
            }
            else if (entry.Item is null || (IsReply(current) && !IsReply(entry)))
            {
                Unlink(current);
                Link(entry, current);
            }
            else
            {
                // Neither leads: a new dummy takes the table message's place and holds both.
                var dummy = new Container(null);
                InsertBefore(entry, dummy);
                Unlink(entry);
                Unlink(current);
                Link(dummy, entry);
                Link(dummy, current);
                table[subject] = dummy;
            }

            current = next;
        }
    }

    private static void InsertBefore(Container sibling, Container container)
    {
        var parent = sibling.Parent!;
        container.Parent = parent;
        container.Next = sibling;
        container.Previous = sibling.Previous;
        if (sibling.Previous is null)
        {
            parent.FirstChild = container;
        }
        else
        {
            sibling.Previous.Next = container;
        }

        sibling.Previous = container;
        parent.ChildCount++;
    }

    /// <summary>Step 6: every sibling set sorted by sent date, deepest first (a dummy sorts by its first child).</summary>
    private static void SortAll(Container root)
    {
        var preorder = new List<Container>();
        var pending = new Stack<Container>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var container = pending.Pop();
            preorder.Add(container);
            for (var child = container.FirstChild; child is not null; child = child.Next)
            {
                pending.Push(child);
            }
        }

        for (int i = preorder.Count - 1; i >= 0; i--)
        {
            SortChildren(preorder[i]);
        }
    }

    private static void SortChildren(Container parent)
    {
        if (parent.ChildCount < 2)
        {
            return;
        }

        var children = new List<Container>(parent.ChildCount);
        for (var child = parent.FirstChild; child is not null; child = child.Next)
        {
            children.Add(child);
        }

        children.Sort(static (a, b) => MessageThreader.CompareByDate(Representative(a), Representative(b)));
        parent.FirstChild = parent.LastChild = null;
        parent.ChildCount = 0;
        foreach (var child in children)
        {
            Link(parent, child);
        }
    }

    /// <summary>The message standing for a container in sorts and subject matching: itself, or a dummy's first child
    /// (after pruning, a dummy's children are messages).</summary>
    private static SortItem Representative(Container container) => container.Item ?? container.FirstChild!.Item!;

    private static string Subject(Container container) => Representative(container).Fields.SortSubject ?? string.Empty;

    private static bool IsReply(Container container) =>
        container.Item is not null && ReplySubject.IsReplyOrForward(container.Item.Fields.Subject);

    private static List<ThreadNode> ToNodes(Container root)
    {
        var roots = new List<ThreadNode>(root.ChildCount);
        var pending = new Stack<(Container Container, IList<ThreadNode> Into)>();
        for (var top = root.LastChild; top is not null; top = top.Previous)
        {
            pending.Push((top, roots));
        }

        // Children are pushed last-first so that each list fills in order.
        while (pending.Count > 0)
        {
            var (container, into) = pending.Pop();
            var node = container.Item is { } item ? new ThreadNode(item.Uid, item.SequenceNumber) : ThreadNode.CreateDummy();
            into.Add(node);
            for (var child = container.LastChild; child is not null; child = child.Previous)
            {
                pending.Push((child, node.Children));
            }
        }

        return roots;
    }

    private sealed class Container(SortItem? item)
    {
        public SortItem? Item { get; set; } = item;

        public Container? Parent { get; set; }

        public Container? FirstChild { get; set; }

        public Container? LastChild { get; set; }

        public Container? Previous { get; set; }

        public Container? Next { get; set; }

        public int ChildCount { get; set; }
    }
}
