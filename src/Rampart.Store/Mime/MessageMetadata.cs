namespace Rampart.Store.Mime;

/// <summary>Everything computed once from a message's raw bytes at delivery, so that FETCH, SEARCH and SORT
/// never re-parse the message (RFC 9051 §7.5.2 ENVELOPE and BODYSTRUCTURE, RFC 5256 sort keys, RFC 8970 PREVIEW).</summary>
/// <param name="Envelope">The top-level ENVELOPE.</param>
/// <param name="Body">The top-level body part, with octet offsets into the raw message for every part.</param>
/// <param name="Fields">Decoded header values SEARCH and SORT need.</param>
/// <param name="Preview">RFC 8970 preview: up to 256 characters of the first text part, whitespace collapsed.</param>
/// <param name="HeaderText">Decoded header fields as <c>Name: value</c> lines, for TEXT and HEADER search.</param>
/// <param name="BodyText">Decoded text of the text parts, for BODY and TEXT search (capped, see <see cref="MimeLimits"/>).</param>
/// <param name="LimitHit">Which MIME limit was hit while parsing, or null; a message over a limit is still stored byte-exact.</param>
public sealed record MessageMetadata(
    Envelope Envelope,
    BodyPart Body,
    HeaderFields Fields,
    string Preview,
    string HeaderText,
    string BodyText,
    string? LimitHit);

/// <summary>An RFC 9051 ENVELOPE: header values kept raw (unfolded, not decoded), as the protocol returns them.</summary>
public sealed record Envelope(
    string? Date,
    string? Subject,
    IReadOnlyList<EnvelopeAddress> From,
    IReadOnlyList<EnvelopeAddress> Sender,
    IReadOnlyList<EnvelopeAddress> ReplyTo,
    IReadOnlyList<EnvelopeAddress> To,
    IReadOnlyList<EnvelopeAddress> Cc,
    IReadOnlyList<EnvelopeAddress> Bcc,
    string? InReplyTo,
    string? MessageId);

/// <summary>One address of an ENVELOPE (RFC 9051 §7.5.2): a mailbox, or a group start (Host null, Mailbox = group name) or end (all null).</summary>
public sealed record EnvelopeAddress(string? Name, string? Route, string? Mailbox, string? Host);

/// <summary>A MIME part and where its bytes are in the raw message.</summary>
/// <param name="Type">Lower-case media type, e.g. "text".</param>
/// <param name="Subtype">Lower-case subtype, e.g. "plain".</param>
/// <param name="Parameters">Content-Type parameters in order, names lower-case.</param>
/// <param name="ContentId">Content-ID, raw.</param>
/// <param name="Description">Content-Description, raw.</param>
/// <param name="Encoding">Content-Transfer-Encoding, upper-case, "7BIT" when absent.</param>
/// <param name="HeaderOffset">Offset of the part's header in the raw message.</param>
/// <param name="HeaderLength">Length of the header including the blank line that ends it.</param>
/// <param name="BodyOffset">Offset of the part's body.</param>
/// <param name="BodyLength">Length of the body in octets (the BODYSTRUCTURE size).</param>
/// <param name="Lines">Number of lines in the body (for text/* and message/rfc822).</param>
/// <param name="Md5">Content-MD5, raw.</param>
/// <param name="Disposition">Content-Disposition value, lower-case, or null.</param>
/// <param name="DispositionParameters">Content-Disposition parameters.</param>
/// <param name="Languages">Content-Language values.</param>
/// <param name="Location">Content-Location, raw.</param>
/// <param name="Parts">Children of a multipart.</param>
/// <param name="MessageEnvelope">For message/rfc822 (and message/global): the embedded message's envelope.</param>
/// <param name="Message">For message/rfc822: the embedded message's top-level body part.</param>
public sealed record BodyPart(
    string Type,
    string Subtype,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    string? ContentId,
    string? Description,
    string Encoding,
    long HeaderOffset,
    long HeaderLength,
    long BodyOffset,
    long BodyLength,
    long Lines,
    string? Md5,
    string? Disposition,
    IReadOnlyList<KeyValuePair<string, string>> DispositionParameters,
    IReadOnlyList<string> Languages,
    string? Location,
    IReadOnlyList<BodyPart> Parts,
    Envelope? MessageEnvelope,
    BodyPart? Message);

/// <summary>Decoded header values for SEARCH (substring, case-insensitive) and SORT (RFC 5256, RFC 5957).</summary>
/// <param name="Subject">Decoded Subject.</param>
/// <param name="From">Decoded From, addresses and display names.</param>
/// <param name="To">Decoded To.</param>
/// <param name="Cc">Decoded Cc.</param>
/// <param name="Bcc">Decoded Bcc.</param>
/// <param name="Date">The Date header parsed, or null when absent or unparseable.</param>
/// <param name="MessageId">Message-ID without angle brackets.</param>
/// <param name="InReplyTo">In-Reply-To message ids.</param>
/// <param name="References">References message ids, in order.</param>
/// <param name="SortSubject">RFC 5256 §2.1 base subject.</param>
/// <param name="SortFrom">RFC 5256: local part of the first From address, lower-cased.</param>
/// <param name="SortTo">RFC 5256: local part of the first To address.</param>
/// <param name="SortCc">RFC 5256: local part of the first Cc address.</param>
/// <param name="DisplayFrom">RFC 5957: display name of the first From address, else its address.</param>
/// <param name="DisplayTo">RFC 5957: display name of the first To address, else its address.</param>
public sealed record HeaderFields(
    string Subject,
    string From,
    string To,
    string Cc,
    string Bcc,
    DateTimeOffset? Date,
    string? MessageId,
    IReadOnlyList<string> InReplyTo,
    IReadOnlyList<string> References,
    string SortSubject,
    string SortFrom,
    string SortTo,
    string SortCc,
    string DisplayFrom,
    string DisplayTo);
