using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Rampart.Store.Model;

namespace Rampart.Store.Sqlite.Accounts;

/// <summary>Turns a <see cref="UidSet"/> into a parameterised SQL condition. A few ranges become BETWEEN terms the
/// primary key can use; a huge set (M08: a client may send thousands of ranges) becomes one bounding BETWEEN plus a
/// call to a function that binary-searches the set, so the SQL stays small whatever the set.</summary>
internal static class UidFilter
{
    /// <summary>Ranges up to which the condition is spelled out as BETWEEN terms.</summary>
    private const int MaxInlineRanges = 32;

    /// <summary>Appends the condition for <paramref name="uids"/> on <paramref name="column"/> to <paramref name="sql"/>.</summary>
    public static void Append(StringBuilder sql, SqliteCommand command, UidSet uids, string column)
    {
        ArgumentNullException.ThrowIfNull(uids);
        if (uids.IsEmpty)
        {
            sql.Append('0');
            return;
        }

        var index = command.Parameters.Count;
        var ranges = uids.Ranges;
        if (ranges.Count <= MaxInlineRanges)
        {
            sql.Append('(');
            for (var i = 0; i < ranges.Count; i++)
            {
                var lo = $"$u{index}_{i}a";
                var hi = $"$u{index}_{i}b";
                sql.Append(i == 0 ? string.Empty : " OR ").Append(CultureInfo.InvariantCulture, $"{column} BETWEEN {lo} AND {hi}");
                command.Parameters.AddWithValue(lo, (long)ranges[i].Start);
                command.Parameters.AddWithValue(hi, (long)ranges[i].End);
            }

            sql.Append(')');
            return;
        }

        var function = $"rampart_uid_in_{index}";
        command.Connection!.CreateFunction(function, (long uid) => uid is >= 0 and <= uint.MaxValue && uids.Contains((uint)uid), isDeterministic: true);
        var min = $"$u{index}_min";
        var max = $"$u{index}_max";
        command.Parameters.AddWithValue(min, (long)ranges[0].Start);
        command.Parameters.AddWithValue(max, (long)ranges[^1].End);
        sql.Append(CultureInfo.InvariantCulture, $"({column} BETWEEN {min} AND {max} AND {function}({column}))");
    }
}
