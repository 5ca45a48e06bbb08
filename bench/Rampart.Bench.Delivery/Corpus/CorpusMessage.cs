namespace Rampart.Bench.Delivery.Corpus;

/// <summary>One generated message: its raw RFC 5322 bytes (CRLF line ends) and what kind of MIME shape it has.</summary>
/// <param name="Index">Position in the corpus; with the seed it fully determines the bytes.</param>
/// <param name="MessageId">The Message-ID header value, angle brackets included.</param>
/// <param name="Kind">The MIME shape, for the corpus summary.</param>
/// <param name="Bytes">The message exactly as it is handed to the store.</param>
internal sealed record CorpusMessage(int Index, string MessageId, MessageKind Kind, byte[] Bytes);

/// <summary>The MIME shapes the corpus mixes, in roughly the proportions a personal mailbox shows.</summary>
internal enum MessageKind
{
    /// <summary>A single text/plain part, 7bit or quoted-printable.</summary>
    PlainText,

    /// <summary>multipart/alternative with a text/plain and a text/html rendering (RFC 2046 §5.1.4).</summary>
    Alternative,

    /// <summary>multipart/mixed with a text part and a base64 attachment (RFC 2046 §5.1.3).</summary>
    WithAttachment,
}
