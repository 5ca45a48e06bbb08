namespace Rampart.Fuzz.Support;

/// <summary>Splits an input into option octets and payload, so that one file chooses both the settings and the bytes.</summary>
internal static class FuzzInput
{
    /// <summary>The first octet (0 for an empty input); <paramref name="payload"/> is the rest.</summary>
    public static byte TakeOptions(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> payload)
    {
        payload = input.IsEmpty ? input : input[1..];
        return input.IsEmpty ? (byte)0 : input[0];
    }

    /// <summary>
    /// The parts of <paramref name="input"/> separated by NUL octets, at most <paramref name="count"/> of them (the
    /// last one keeps any further NULs). Used where the parser itself refuses NUL, so the separator costs nothing.
    /// </summary>
    public static List<byte[]> SplitOnNul(ReadOnlySpan<byte> input, int count)
    {
        var parts = new List<byte[]>(count);
        while (parts.Count < count - 1)
        {
            var nul = input.IndexOf((byte)0);
            if (nul < 0)
            {
                break;
            }

            parts.Add(input[..nul].ToArray());
            input = input[(nul + 1)..];
        }

        parts.Add(input.ToArray());
        return parts;
    }
}
