using System.Buffers;

namespace Rampart.Imap.Rendering;

/// <summary>Writes the THREAD response data (RFC 5256 §4): <c>(1 2)(3 (4)(5))</c>.</summary>
/// <remarks>
/// <c>thread-list = "(" (thread-members / thread-nested) ")"</c>, <c>thread-members = thread-message *(SP
/// thread-message) [SP thread-nested]</c>, <c>thread-nested = 2*thread-list</c>: a chain of only children is written
/// as a run of numbers, two or more children each in parentheses, and a dummy writes no number (<c>((3)(5))</c>).
/// Iterative, so a 100,000-deep thread cannot overflow the stack.
/// </remarks>
public static class ThreadWriter
{
    /// <summary>Writes the threads, each in parentheses, with UIDs (UID THREAD) or sequence numbers.</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<ThreadNode> roots, bool useUids)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(roots);
        // An entry without a node writes a parenthesis: Close says which one.
        var pending = new Stack<(ThreadNode? Node, bool Close)>();
        foreach (var root in roots)
        {
            output.Write("("u8);
            pending.Push((null, true));
            pending.Push((root, false));
            while (pending.Count > 0)
            {
                var (node, close) = pending.Pop();
                if (node is null)
                {
                    output.Write(close ? ")"u8 : "("u8);
                    continue;
                }

                WriteChain(output, node, useUids, pending);
            }
        }
    }

    /// <summary>Writes the numbers of a run of only children, then queues two or more children, each in parentheses.</summary>
    private static void WriteChain(IBufferWriter<byte> output, ThreadNode node, bool useUids, Stack<(ThreadNode? Node, bool Close)> pending)
    {
        bool first = true;
        while (true)
        {
            if (!node.IsDummy)
            {
                if (!first)
                {
                    output.Write(" "u8);
                }

                ImapStringWriter.WriteNumber(output, useUids ? node.Uid : node.SequenceNumber);
                first = false;
            }

            if (node.Children.Count == 1)
            {
                node = node.Children[0];
                continue;
            }

            if (node.Children.Count == 0)
            {
                return;
            }

            if (!first)
            {
                output.Write(" "u8);
            }

            // Pushed last-first so that they come out in order, each wrapped in "(" … ")".
            for (int i = node.Children.Count - 1; i >= 0; i--)
            {
                pending.Push((null, true));
                pending.Push((node.Children[i], false));
                pending.Push((null, false));
            }

            return;
        }
    }
}
