using System.Buffers;

namespace Rampart.Imap.Rendering;

/// <summary>Writes numbers as a compact IMAP sequence set, runs as ranges: <c>1:3,5,7:9</c> (RFC 9051 §9
/// <c>sequence-set</c>), for ESEARCH ALL, COPYUID, VANISHED and similar responses.</summary>
public static class SequenceSetWriter
{
    /// <summary>Writes <paramref name="numbers"/> (any order, duplicates allowed) as a sequence set. Writes nothing
    /// for an empty list: the caller decides what an empty set means in its response.</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<uint> numbers)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(numbers);
        if (numbers.Count == 0)
        {
            return;
        }

        uint[] sorted = [.. numbers];
        Array.Sort(sorted);
        bool first = true;
        int at = 0;
        while (at < sorted.Length)
        {
            uint start = sorted[at];
            uint end = start;
            while (++at < sorted.Length && (sorted[at] == end || sorted[at] == end + 1))
            {
                end = sorted[at];
            }

            if (!first)
            {
                output.Write(","u8);
            }

            first = false;
            ImapStringWriter.WriteNumber(output, start);
            if (end != start)
            {
                output.Write(":"u8);
                ImapStringWriter.WriteNumber(output, end);
            }
        }
    }
}
