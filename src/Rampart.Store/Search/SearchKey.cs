using Rampart.Store.Model;

namespace Rampart.Store.Search;

/// <summary>A node of a search criteria tree, evaluated in the backend (RFC 9051 §6.4.4). Sequence numbers,
/// $ (SEARCHRES) and \Recent are resolved to UID sets by the protocol before the store sees the tree.</summary>
public abstract record SearchKey
{
    public static SearchKey All { get; } = new AllKey();
}

/// <summary>ALL.</summary>
public sealed record AllKey : SearchKey;

/// <summary>Every child matches (a parenthesised list or juxtaposition).</summary>
public sealed record AndKey(IReadOnlyList<SearchKey> Keys) : SearchKey;

/// <summary>OR a b.</summary>
public sealed record OrKey(SearchKey Left, SearchKey Right) : SearchKey;

/// <summary>NOT k.</summary>
public sealed record NotKey(SearchKey Key) : SearchKey;

/// <summary>UID set (and sequence sets after translation).</summary>
public sealed record UidKey(UidSet Uids) : SearchKey;

/// <summary>SEEN/UNSEEN, ANSWERED/UNANSWERED, FLAGGED, DELETED, DRAFT and their negations.</summary>
public sealed record FlagKey(SystemFlags Flag, bool Set) : SearchKey;

/// <summary>KEYWORD/UNKEYWORD.</summary>
public sealed record KeywordKey(string Keyword, bool Set) : SearchKey;

/// <summary>Which text a <see cref="TextKey"/> searches.</summary>
public enum TextScope
{
    /// <summary>TEXT: headers and body.</summary>
    Text,

    /// <summary>BODY: the body only.</summary>
    Body,
}

/// <summary>TEXT/BODY: substring search answered by the full-text index, confirmed where the index is approximate.</summary>
public sealed record TextKey(TextScope Scope, string Value) : SearchKey;

/// <summary>HEADER field value, and FROM/TO/CC/BCC/SUBJECT (which are HEADER with a fixed field). An empty value matches any message that has the field.</summary>
public sealed record HeaderKey(string Field, string Value) : SearchKey;

/// <summary>Which date a <see cref="DateKey"/> compares.</summary>
public enum DateField
{
    /// <summary>INTERNALDATE (BEFORE/ON/SINCE), compared by date, ignoring time and zone.</summary>
    Internal,

    /// <summary>The Date: header (SENTBEFORE/SENTON/SENTSINCE).</summary>
    Sent,

    /// <summary>RFC 8514 save date (SAVEDBEFORE/SAVEDON/SAVEDSINCE).</summary>
    Saved,
}

/// <summary>How a date is compared.</summary>
public enum DateComparison
{
    Before,
    On,
    Since,
}

/// <summary>BEFORE/ON/SINCE and their SENT and SAVED forms.</summary>
public sealed record DateKey(DateField Field, DateComparison Comparison, DateOnly Date) : SearchKey;

/// <summary>RFC 5032 YOUNGER/OLDER: INTERNALDATE within (younger) or beyond (older) this many seconds of now.</summary>
public sealed record AgeKey(bool Younger, long Seconds) : SearchKey;

/// <summary>LARGER n (<c>Larger</c> true) or SMALLER n.</summary>
public sealed record SizeKey(bool Larger, long Octets) : SearchKey;

/// <summary>RFC 7162 §3.1.5 MODSEQ: messages whose MODSEQ is at least this value.</summary>
public sealed record ModSeqKey(ulong AtLeast) : SearchKey;

/// <summary>RFC 8474 EMAILID / THREADID.</summary>
public sealed record EmailIdKey(string EmailId) : SearchKey;
