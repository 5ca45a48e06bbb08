namespace Rampart.Imap.Rendering;

/// <summary>What a section specification selects within the addressed part (RFC 9051 §6.4.5).</summary>
public enum SectionKind
{
    /// <summary>No text specifier: the whole message (<c>BODY[]</c>) or the whole part (<c>BODY[1.2]</c>).</summary>
    Full,

    /// <summary><c>HEADER</c>: the message header, blank line included.</summary>
    Header,

    /// <summary><c>HEADER.FIELDS (…)</c>: only the named header fields.</summary>
    HeaderFields,

    /// <summary><c>HEADER.FIELDS.NOT (…)</c>: every header field but the named ones.</summary>
    HeaderFieldsNot,

    /// <summary><c>TEXT</c>: the message body without its header.</summary>
    Text,

    /// <summary><c>MIME</c>: the MIME header of a part (only after a part number).</summary>
    Mime,
}
