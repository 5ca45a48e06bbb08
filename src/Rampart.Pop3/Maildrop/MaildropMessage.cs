using Rampart.Store.Model;

namespace Rampart.Pop3.Maildrop;

/// <summary>One message of a session's maildrop snapshot, with the session's marks on it.</summary>
public sealed class MaildropMessage
{
    internal MaildropMessage(int number, uint uidValidity, MessageSummary summary)
    {
        Number = number;
        Summary = summary;
        // RFC 1939 §7 UIDL: 1 to 70 characters in 0x21–0x7E, unique in the maildrop and never reused. UIDVALIDITY
        // and UID together are exactly that: the store never reuses a UID under one UIDVALIDITY, and a
        // message keeps both for as long as it stays in INBOX. The EMAILID is not used because a COPY of a
        // message into the same mailbox shares it, and two messages with one UIDL would break clients.
        UniqueId = FormattableString.Invariant($"{uidValidity}.{summary.Uid}");
        WireSize = summary.WireSize;
    }

    /// <summary>The message number, 1-based, fixed for the session (RFC 1939 §5).</summary>
    public int Number { get; }

    /// <summary>What the store knows about the message.</summary>
    public MessageSummary Summary { get; }

    /// <summary>The UIDL value: <c>UIDVALIDITY.UID</c>.</summary>
    public string UniqueId { get; }

    /// <summary>The octets RETR sends (RFC 1939 §5), from the store's metadata; null until counted for a message
    /// stored before the store kept it.</summary>
    public long? WireSize { get; internal set; }

    /// <summary>Marked by DELE; undone by RSET; applied only at QUIT (RFC 1939 §6).</summary>
    public bool Deleted { get; internal set; }

    /// <summary>Sent by RETR in this session (for \Seen and the delete-after-download policy).</summary>
    public bool Retrieved { get; internal set; }
}
