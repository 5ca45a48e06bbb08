namespace Rampart.Smtp.Dkim;

/// <summary>Signs outgoing mail with the sending domain's DKIM key (RFC 6376 §5).</summary>
public interface IMessageSigner
{
    /// <summary>Computes the DKIM-Signature header field for <paramref name="message"/> signed as <paramref name="domain"/>.</summary>
    /// <param name="message">The message to send, seekable, positioned at its start (CRLF line ends); left at an unspecified position.</param>
    /// <param name="domain">The signing domain (d=): the domain of the From address.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The complete header field, <c>DKIM-Signature: …</c> ending in CRLF, to prepend to the message; null when
    /// this server holds no key for the domain.</returns>
    Task<string?> SignAsync(Stream message, string domain, CancellationToken cancellationToken = default);
}
