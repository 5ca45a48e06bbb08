namespace Rampart.Store.Model;

/// <summary>What the store keeps about one message in one mailbox, short of its parsed metadata.</summary>
/// <param name="Uid">RFC 9051 §2.3.1.1.</param>
/// <param name="ModSeq">RFC 7162: the MODSEQ of its last change.</param>
/// <param name="Flags">System flags and keywords.</param>
/// <param name="InternalDate">INTERNALDATE with the zone it was given in.</param>
/// <param name="Size">RFC822.SIZE: the exact octet count of the stored bytes.</param>
/// <param name="BlobId">Content address of the immutable body (lower-case hex SHA-256).</param>
/// <param name="SaveDate">When it was saved into this mailbox (RFC 8514).</param>
/// <param name="EmailId">RFC 8474 EMAILID: stable across COPY/MOVE of the same blob.</param>
public sealed record MessageSummary(
    uint Uid,
    ulong ModSeq,
    MessageFlags Flags,
    DateTimeOffset InternalDate,
    long Size,
    string BlobId,
    DateTimeOffset SaveDate,
    string EmailId)
{
    /// <summary>
    /// The size with every line ended by CRLF (what POP3 RETR sends before byte-stuffing, RFC 1939 §5), counted at
    /// delivery; null for a message stored before Rampart kept it, or by a backend that does not.
    /// </summary>
    public long? WireSize { get; init; }

    /// <summary>
    /// The backend's own reference to the stored bytes, for <see cref="IAccountStore.OpenMessageAsync(long, MessageSummary, CancellationToken)"/>
    /// without a lookup; null from a backend that does not make one (the bytes are then found by UID).
    /// </summary>
    public ContentReference? Content { get; init; }
}
