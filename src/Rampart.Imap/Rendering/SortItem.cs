using Rampart.Store.Mime;

namespace Rampart.Imap.Rendering;

/// <summary>What SORT and THREAD know about one message (RFC 5256).</summary>
/// <param name="Uid">The message's UID.</param>
/// <param name="SequenceNumber">Its message sequence number, the final tie-breaker.</param>
/// <param name="Fields">The header values computed at delivery.</param>
/// <param name="Size">RFC822.SIZE, for SORT SIZE.</param>
/// <param name="InternalDate">INTERNALDATE, for ARRIVAL and when the Date header is missing or unreadable.</param>
public sealed record SortItem(uint Uid, uint SequenceNumber, HeaderFields Fields, long Size, DateTimeOffset InternalDate)
{
    /// <summary>RFC 5256 §2.2 sent date: the Date header, else INTERNALDATE.</summary>
    public DateTimeOffset SentDate => Fields.Date ?? InternalDate;
}
