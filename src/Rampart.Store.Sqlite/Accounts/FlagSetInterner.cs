using Rampart.Store.Model;

namespace Rampart.Store.Sqlite.Accounts;

/// <summary>Hands out one <see cref="MessageFlags"/> instance per distinct flag set within one read, so a large FETCH
/// allocates a few flag sets instead of one per message, and its caller can format each distinct set once.</summary>
internal sealed class FlagSetInterner
{
    /// <summary>One slot per combination of the five system flags (RFC 9051 §2.3.2).</summary>
    private readonly MessageFlags?[] withoutKeywords = new MessageFlags?[32];

    private readonly Dictionary<string, MessageFlags> withKeywords = new(StringComparer.Ordinal);

    /// <summary>Flags without keywords: most messages.</summary>
    public MessageFlags Get(SystemFlags system)
    {
        var index = (int)system & 31;
        return (int)system == index
            ? withoutKeywords[index] ??= new MessageFlags(system, [])
            : new MessageFlags(system, []);
    }

    /// <summary>Flags with keywords, in the store's order (case-insensitive); <paramref name="keywords"/> is not kept.</summary>
    public MessageFlags Get(SystemFlags system, List<string> keywords)
    {
        var flags = Keywords.Flags(system, keywords);
        // Keywords are atoms (no control characters), so a NUL separates them unambiguously.
        var key = ((int)system).ToString(System.Globalization.CultureInfo.InvariantCulture) + "\0" + string.Join('\0', flags.Keywords);
        if (withKeywords.TryGetValue(key, out var existing))
        {
            return existing;
        }

        withKeywords[key] = flags;
        return flags;
    }
}
