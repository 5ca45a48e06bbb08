namespace Rampart.Store.Model;

/// <summary>A mailbox and its counters as of the moment it was read.</summary>
/// <param name="Id">Backend-assigned identifier; survives RENAME.</param>
/// <param name="Name">Full UTF-8 name with <c>/</c> as the hierarchy separator; INBOX is always "INBOX".</param>
/// <param name="SpecialUse">RFC 6154 attributes.</param>
/// <param name="Subscribed">Whether the name is on the subscription list.</param>
/// <param name="UidValidity">RFC 9051 §2.3.1.1; never reused for a name.</param>
/// <param name="UidNext">The UID the next message will get.</param>
/// <param name="HighestModSeq">RFC 7162 §3.1.1; never decreases.</param>
/// <param name="Messages">Number of messages.</param>
/// <param name="Unseen">Messages without \Seen.</param>
/// <param name="Size">Sum of the messages' sizes in octets (STATUS SIZE, RFC 8438).</param>
public sealed record MailboxInfo(
    long Id,
    string Name,
    SpecialUse SpecialUse,
    bool Subscribed,
    uint UidValidity,
    uint UidNext,
    ulong HighestModSeq,
    int Messages,
    int Unseen,
    long Size);
