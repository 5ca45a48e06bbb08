using System.Globalization;

namespace Rampart.Imap.Protocol;

/// <summary>The IMAP date forms: <c>date-time</c> <c>"dd-Mon-yyyy hh:mm:ss +zzzz"</c> and <c>date</c>
/// <c>d-Mon-yyyy</c> (RFC 9051 §9).</summary>
internal static class ImapDateTime
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static string Format(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{value.Day:00}-{Months[value.Month - 1]}-{value.Year:0000} {value.Hour:00}:{value.Minute:00}:{value.Second:00} {sign}{abs.Hours:00}{abs.Minutes:00}");
    }

    public static bool TryParseDateTime(string text, out DateTimeOffset value)
    {
        value = default;
        // "dd-Mon-yyyy hh:mm:ss +zzzz", the day may be space-padded.
        var t = text.Trim();
        var parts = t.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || !TryParseDate(parts[0], out var date))
        {
            return false;
        }

        var time = parts[1].Split(':');
        var zone = parts[2];
        if (time.Length != 3 || zone.Length != 5 || (zone[0] != '+' && zone[0] != '-')
            || !int.TryParse(time[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h) || h > 23
            || !int.TryParse(time[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) || m > 59
            || !int.TryParse(time[2], NumberStyles.None, CultureInfo.InvariantCulture, out var s) || s > 60
            || !int.TryParse(zone.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var zh)
            || !int.TryParse(zone.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var zm) || zm > 59 || zh > 14)
        {
            return false;
        }

        var offset = new TimeSpan(zh, zm, 0);
        if (zone[0] == '-')
        {
            offset = -offset;
        }

        value = new DateTimeOffset(date.Year, date.Month, date.Day, h, m, Math.Min(s, 59), offset);
        return true;
    }

    public static bool TryParseDate(string text, out DateOnly date)
    {
        date = default;
        var parts = text.Split('-');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var year) || parts[2].Length != 4)
        {
            return false;
        }

        var month = Array.FindIndex(Months, m => string.Equals(m, parts[1], StringComparison.OrdinalIgnoreCase)) + 1;
        if (month == 0 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }
}
