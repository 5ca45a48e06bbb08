namespace Rampart.Pop3.Protocol;

/// <summary>Parses the numeric arguments of LIST, RETR, DELE, TOP and UIDL.</summary>
/// <remarks>RFC 1939 §5: a message-number is a positive decimal number; TOP's line count is non-negative.
/// Signs, spaces, hex and numbers past <see cref="int.MaxValue"/> are refused without an exception.</remarks>
public static class MessageNumber
{
    /// <summary>Digits accepted: ten fit every int; more is an attack or a typo, refused before parsing.</summary>
    private const int MaxDigits = 10;

    /// <summary>Parses a non-negative decimal number that fits an <see cref="int"/>.</summary>
    public static bool TryParseNonNegative(string text, out int value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text) || text.Length > MaxDigits)
        {
            return false;
        }

        long result = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            result = (result * 10) + (c - '0');
        }

        if (result > int.MaxValue)
        {
            return false;
        }

        value = (int)result;
        return true;
    }

    /// <summary>Parses a message number: a decimal number of at least 1.</summary>
    public static bool TryParse(string text, out int value) => TryParseNonNegative(text, out value) && value > 0;
}
