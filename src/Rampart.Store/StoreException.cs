namespace Rampart.Store;

/// <summary>Why a store operation refused: the protocol maps each to its own response code.</summary>
public enum StoreError
{
    /// <summary>No such account, mailbox or message (IMAP NONEXISTENT).</summary>
    NotFound,

    /// <summary>The name is taken (IMAP ALREADYEXISTS).</summary>
    AlreadyExists,

    /// <summary>The name is not acceptable: empty, too long, bad hierarchy, control characters (IMAP CANNOT).</summary>
    InvalidName,

    /// <summary>Not allowed on this object, e.g. deleting INBOX (IMAP CANNOT).</summary>
    NotAllowed,

    /// <summary>Over quota (IMAP OVERQUOTA).</summary>
    OverQuota,

    /// <summary>The message is bigger than the limit (IMAP TOOBIG).</summary>
    TooBig,

    /// <summary>The message could not be parsed within the MIME limits; it is still stored byte-exact.</summary>
    Malformed,

    /// <summary>The mailbox has children and cannot be deleted (RFC 9051 §6.3.4 HASCHILDREN).</summary>
    HasChildren,

    /// <summary>The account is disabled.</summary>
    Disabled,

    /// <summary>A request is too complex to evaluate, e.g. a SEARCH tree nested beyond the limit (SECURITY.md M08; IMAP LIMIT).</summary>
    TooComplex,
}

/// <summary>A refused store operation with a reason the protocol can answer with.</summary>
public sealed class StoreException : Exception
{
    public StoreException(StoreError error, string message)
        : base(message) => Error = error;

    public StoreException()
        : this(StoreError.NotFound, "not found")
    {
    }

    public StoreException(string message)
        : this(StoreError.NotFound, message)
    {
    }

    public StoreException(string message, Exception innerException)
        : base(message, innerException) => Error = StoreError.NotFound;

    public StoreError Error { get; }
}
