using System.Text;
using Rampart.Imap.Protocol;
using Rampart.Store.Model;

namespace Rampart.Imap.Rendering;

/// <summary>The flag list (RFC 9051 §2.3.2, <c>flag-fetch</c>) of each distinct flag set, formatted once per command:
/// on a large mailbox most messages share a handful of flag sets, so FETCH 1:* (FLAGS) copies bytes instead of
/// building a string per message.</summary>
/// <remarks>Sets without keywords are keyed by their system flags; sets with keywords by instance, which the store
/// shares between messages with equal flags (<see cref="Rampart.Store.IAccountStore.FetchFlagsAsync"/>). At most
/// <see cref="MaxKeywordSets"/> of those are kept, so a store that shares nothing costs no more than formatting.</remarks>
internal sealed class FlagListCache
{
    /// <summary>Keyword-bearing flag sets remembered per command. Default 1,024: far more than a mailbox's distinct
    /// label combinations usually are, and it bounds the memory a command holds (≈ 100 KB).</summary>
    public const int MaxKeywordSets = 1024;

    private readonly byte[]?[] _system = new byte[]?[32];
    private readonly Dictionary<MessageFlags, byte[]> _withKeywords = new(ReferenceEqualityComparer.Instance);

    /// <summary>The formatted flag list of <paramref name="flags"/>, parentheses included.</summary>
    public byte[] Get(MessageFlags flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        if (flags.Keywords.Count == 0 && (int)flags.System is >= 0 and < 32)
        {
            return _system[(int)flags.System] ??= Format(flags);
        }

        if (_withKeywords.TryGetValue(flags, out var cached))
        {
            return cached;
        }

        var bytes = Format(flags);
        if (_withKeywords.Count < MaxKeywordSets)
        {
            _withKeywords[flags] = bytes;
        }

        return bytes;
    }

    /// <summary>Keywords are atoms (the store refuses anything else), so the list is ASCII with no CR or LF.</summary>
    private static byte[] Format(MessageFlags flags) => Encoding.ASCII.GetBytes(FlagList.Format(flags));
}
