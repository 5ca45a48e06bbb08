using System.Buffers;

namespace Rampart.Net.Reading;

/// <summary>Recognises a literal announcement at the end of a line without allocating.</summary>
/// <remarks>RFC 9051 §4.3 <c>literal = "{" number64 ["+"] "}" CRLF</c>; RFC 7888 <c>{N+}</c>;
/// RFC 3516 <c>literal8 = "~{" number ["+"] "}" CRLF</c>.</remarks>
internal static class LiteralSyntax
{
    internal enum Result
    {
        None,
        Literal,
        TooLarge,
        Malformed,
    }

    // 19 digits always fit in a long; a longer number (leading zeros aside) is too large by construction,
    // so it is rejected by counting digits, never by parsing (M01: {99999999999999999999}).
    private const int MaxParsedDigits = 18;

    public static Result Parse(in ReadOnlySequence<byte> line, long maxLength, out LiteralHeader header)
    {
        header = default;
        if (line.IsEmpty)
        {
            return Result.None;
        }

        // The tail that can hold a literal is short; copy at most this many bytes to scan backwards.
        Span<byte> tail = stackalloc byte[64];
        var tailLength = (int)Math.Min(line.Length, tail.Length);
        line.Slice(line.Length - tailLength).CopyTo(tail);
        tail = tail[..tailLength];
        if (tail[^1] != (byte)'}')
        {
            return Result.None;
        }

        var i = tail.Length - 2;
        var synchronizing = true;
        if (i >= 0 && tail[i] == (byte)'+')
        {
            synchronizing = false;
            i--;
        }

        var digitsEnd = i;
        while (i >= 0 && tail[i] is >= (byte)'0' and <= (byte)'9')
        {
            i--;
        }

        var digits = tail.Slice(i + 1, digitsEnd - i);
        if (i < 0)
        {
            // Only digits in the window: either a huge number whose '{' is further back, or no literal at all.
            return digits.Length == tail.Length - (synchronizing ? 1 : 2) && line.Length > tail.Length && HasOpenBraceBefore(line, tail.Length)
                ? TooLarge(synchronizing, out header)
                : Result.None;
        }

        if (tail[i] == (byte)'-' && i > 0 && tail[i - 1] == (byte)'{')
        {
            return Result.Malformed; // {-1}
        }

        if (tail[i] != (byte)'{')
        {
            return Result.None;
        }

        var binary = i > 0 && tail[i - 1] == (byte)'~';
        if (digits.IsEmpty)
        {
            return Result.Malformed; // {} or {+}
        }

        // Leading zeros do not make a number larger.
        var significant = digits.TrimStart((byte)'0');
        if (significant.Length > MaxParsedDigits)
        {
            return TooLarge(synchronizing, out header, binary);
        }

        long length = 0;
        foreach (var d in significant)
        {
            length = (length * 10) + (d - '0');
        }

        header = new LiteralHeader(length, synchronizing, binary);
        return length > maxLength ? Result.TooLarge : Result.Literal;
    }

    private static Result TooLarge(bool synchronizing, out LiteralHeader header, bool binary = false)
    {
        header = new LiteralHeader(-1, synchronizing, binary);
        return Result.TooLarge;
    }

    // A digit run longer than the scan window: look for the '{' that starts it.
    private static bool HasOpenBraceBefore(in ReadOnlySequence<byte> line, int tailLength)
    {
        var head = line.Slice(0, line.Length - tailLength);
        var reader = new SequenceReader<byte>(head);
        reader.AdvanceToEnd();
        while (reader.Consumed > 0)
        {
            reader.Rewind(1);
            reader.TryPeek(out var b);
            if (b == (byte)'{')
            {
                return true;
            }

            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return false;
    }
}
