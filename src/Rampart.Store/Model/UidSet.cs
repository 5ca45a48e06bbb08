namespace Rampart.Store.Model;

/// <summary>An ordered, merged set of UID ranges. The protocol resolves <c>*</c> and sequence numbers before the store sees it.</summary>
public sealed class UidSet
{
    private readonly (uint Start, uint End)[] ranges;

    private UidSet((uint Start, uint End)[] ranges) => this.ranges = ranges;

    /// <summary>Every UID from 1 to uint.MaxValue.</summary>
    public static UidSet All { get; } = new([(1u, uint.MaxValue)]);

    public static UidSet Empty { get; } = new([]);

    /// <summary>The merged ranges, ascending, non-overlapping and non-adjacent.</summary>
    public IReadOnlyList<(uint Start, uint End)> Ranges => ranges;

    public bool IsEmpty => ranges.Length == 0;

    public static UidSet Of(params uint[] uids) => FromRanges(uids.Select(u => (u, u)));

    public static UidSet Range(uint start, uint end) => FromRanges([(start, end)]);

    /// <summary>Builds a set from ranges in any order; each range may be given high-to-low (RFC 9051 §9 seq-range).</summary>
    public static UidSet FromRanges(IEnumerable<(uint Start, uint End)> input)
    {
        var list = input
            .Select(r => r.Start <= r.End ? r : (r.End, r.Start))
            .Where(r => r.Item1 != 0)
            .OrderBy(r => r.Item1)
            .ToList();
        var merged = new List<(uint Start, uint End)>(list.Count);
        foreach (var r in list)
        {
            if (merged.Count > 0 && (ulong)merged[^1].End + 1 >= r.Item1)
            {
                var last = merged[^1];
                merged[^1] = (last.Start, Math.Max(last.End, r.Item2));
            }
            else
            {
                merged.Add(r);
            }
        }

        return new UidSet([.. merged]);
    }

    public bool Contains(uint uid)
    {
        int lo = 0, hi = ranges.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (uid < ranges[mid].Start)
            {
                hi = mid - 1;
            }
            else if (uid > ranges[mid].End)
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>RFC 9051 sequence-set form, e.g. <c>1:3,7,9:12</c>.</summary>
    public override string ToString() =>
        string.Join(',', ranges.Select(r => r.Start == r.End ? r.Start.ToString(System.Globalization.CultureInfo.InvariantCulture) : FormattableString.Invariant($"{r.Start}:{r.End}")));
}
