using Rampart.Smtp.Delivery;
using Rampart.Smtp.Dsn;
using Rampart.Smtp.Protocol;

namespace Rampart.Smtp.Session;

/// <summary>One mail transaction: from MAIL to the end of DATA or the LAST BDAT, or RSET (RFC 5321 §3.3).</summary>
internal sealed class MailTransaction : IAsyncDisposable
{
    public MailTransaction(SmtpAddress? reversePath, BodyType body, bool smtpUtf8)
    {
        ReversePath = reversePath;
        Body = body;
        SmtpUtf8 = smtpUtf8;
    }

    /// <summary>The reverse path; null for <c>&lt;&gt;</c>.</summary>
    public SmtpAddress? ReversePath { get; }

    /// <summary>BODY= of MAIL (RFC 6152, RFC 3030).</summary>
    public BodyType Body { get; }

    /// <summary>Whether MAIL carried SMTPUTF8 (RFC 6531 §3.4).</summary>
    public bool SmtpUtf8 { get; }

    /// <summary>SIZE= of MAIL (RFC 1870 §4), the client's estimate in octets; null when not given. RCPT weighs each
    /// recipient's remaining quota against it (RFC 1870 §6.3).</summary>
    public long? DeclaredSize { get; init; }

    /// <summary>RET of MAIL (RFC 3461 §4.3).</summary>
    public DsnReturn Return { get; init; }

    /// <summary>ENVID of MAIL, xtext-decoded (RFC 3461 §4.4); null when not given.</summary>
    public string? EnvelopeId { get; init; }

    /// <summary>NOTIFY and ORCPT of the recipients that gave them (RFC 3461 §4.1, §4.2), by forward path.</summary>
    public Dictionary<string, RecipientDsn> RecipientDsn { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The DSN request to queue with the message; null when MAIL and RCPT carried no DSN parameter.</summary>
    public DsnRequest? DsnRequest =>
        Return == DsnReturn.Unspecified && EnvelopeId is null && RecipientDsn.Count == 0 ? null : new DsnRequest(Return, EnvelopeId, RecipientDsn);

    /// <summary>Recipients accepted so far, in RCPT order (LMTP replies in this order, RFC 2033 §4.2).</summary>
    public List<Recipient> Recipients { get; } = [];

    /// <summary>The spool of a BDAT sequence in progress.</summary>
    public MessageSpool? Chunks { get; set; }

    /// <summary>The checks of a BDAT sequence in progress.</summary>
    public ChunkInspector? ChunkInspector { get; set; }

    /// <summary>Set when a BDAT chunk failed: the rest of the sequence is read and refused (RFC 3030 §2).</summary>
    public bool ChunksFailed { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (Chunks is { } chunks)
        {
            Chunks = null;
            await chunks.DisposeAsync();
        }
    }
}

/// <summary>The body type declared with MAIL BODY= (RFC 6152 §2, RFC 3030 §3).</summary>
internal enum BodyType
{
    SevenBit,
    EightBitMime,
    BinaryMime,
}
