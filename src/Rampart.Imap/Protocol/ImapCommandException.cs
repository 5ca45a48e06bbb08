namespace Rampart.Imap.Protocol;

/// <summary>Whether a refused command gets BAD (the client's syntax or protocol error) or NO (the request was
/// understood but cannot be done).</summary>
internal enum RefusalKind
{
    Bad,
    No,
}

/// <summary>
/// A command refused with a tagged BAD or NO and an optional response code (RFC 9051 §7.1, RFC 5530 codes).
/// Thrown by parsers and handlers; the session turns it into the one tagged reply, and goes on.
/// </summary>
internal sealed class ImapCommandException : Exception
{
    public ImapCommandException(RefusalKind kind, string? code, string message)
        : base(message)
    {
        Kind = kind;
        Code = code;
    }

    public ImapCommandException()
        : this(RefusalKind.Bad, null, "Syntax error")
    {
    }

    public ImapCommandException(string message)
        : this(RefusalKind.Bad, null, message)
    {
    }

    public ImapCommandException(string message, Exception innerException)
        : base(message, innerException) => Kind = RefusalKind.Bad;

    public RefusalKind Kind { get; }

    /// <summary>The response code without brackets, e.g. <c>NONEXISTENT</c> or <c>MODIFIED 7,9</c>.</summary>
    public string? Code { get; }

    /// <summary>A syntax error: BAD.</summary>
    public static ImapCommandException Syntax(string message) => new(RefusalKind.Bad, null, message);

    /// <summary>BAD with a code, e.g. <c>TOOBIG</c> or <c>LIMIT</c>.</summary>
    public static ImapCommandException Bad(string code, string message) => new(RefusalKind.Bad, code, message);

    /// <summary>NO with a code (or none).</summary>
    public static ImapCommandException No(string? code, string message) => new(RefusalKind.No, code, message);
}
