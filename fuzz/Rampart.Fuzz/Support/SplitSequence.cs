using System.Buffers;

namespace Rampart.Fuzz.Support;

/// <summary>Builds a multi-segment <see cref="ReadOnlySequence{T}"/>, as a pipe hands out a line that spans two reads.</summary>
internal static class SplitSequence
{
    /// <summary>The bytes as a sequence of segments of at most <paramref name="segmentLength"/> octets each.</summary>
    public static ReadOnlySequence<byte> Of(ReadOnlyMemory<byte> bytes, int segmentLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentLength, 1);
        if (bytes.Length <= segmentLength)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        var first = new Segment(bytes[..segmentLength], 0);
        var last = first;
        for (var at = segmentLength; at < bytes.Length; at += segmentLength)
        {
            last = last.Append(bytes[at..Math.Min(at + segmentLength, bytes.Length)]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
