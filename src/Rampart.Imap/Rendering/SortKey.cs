namespace Rampart.Imap.Rendering;

/// <summary>SORT keys (RFC 5256 §3, DISPLAYFROM and DISPLAYTO from RFC 5957).</summary>
public enum SortKey
{
    /// <summary>INTERNALDATE.</summary>
    Arrival,

    /// <summary>Mailbox (local part) of the first Cc address.</summary>
    Cc,

    /// <summary>Sent date (Date header, else INTERNALDATE).</summary>
    Date,

    /// <summary>Mailbox (local part) of the first From address.</summary>
    From,

    /// <summary>RFC822.SIZE.</summary>
    Size,

    /// <summary>Base subject (RFC 5256 §2.1).</summary>
    Subject,

    /// <summary>Mailbox (local part) of the first To address.</summary>
    To,

    /// <summary>Display name of the first From address, else its address (RFC 5957 §2).</summary>
    DisplayFrom,

    /// <summary>Display name of the first To address, else its address (RFC 5957 §2).</summary>
    DisplayTo,
}
