namespace Rampart.Imap.Rendering;

/// <summary>Whether a section could be produced, and if not, why.</summary>
public enum SectionStatus
{
    /// <summary>The content is available.</summary>
    Ok,

    /// <summary>The part number names no part, or HEADER/TEXT follow a part that is not a message. RFC 9051 §6.4.5
    /// does not make this an error: the FETCH item is answered with an empty string (or NIL).</summary>
    NoSuchPart,

    /// <summary>BINARY on a part whose Content-Transfer-Encoding Rampart cannot decode: the command fails with
    /// <c>NO [UNKNOWN-CTE]</c> (RFC 3516 §4.3).</summary>
    UnknownCte,

    /// <summary>BINARY on a multipart, or with a HEADER/TEXT/MIME specifier: RFC 3516 §4.1 defines decoding for a
    /// single leaf part only; the command fails with <c>BAD</c> (or <c>NO</c>).</summary>
    NotBinary,
}
