using Rampart.Smtp.Dsn;

namespace Rampart.Smtp.Outbound;

/// <summary>A message ready to send: header fields to put in front (the DKIM-Signature) and the queued bytes.</summary>
/// <param name="Prefix">Bytes sent before the message, e.g. <c>DKIM-Signature: …\r\n</c>; empty for none.</param>
/// <param name="Open">Opens the queued message (CRLF line ends) from its start.</param>
/// <param name="Length">The queued message's length in octets.</param>
public sealed record OutboundMessage(ReadOnlyMemory<byte> Prefix, Func<Stream> Open, long Length)
{
    /// <summary>What is sent, before dot-stuffing: the SIZE parameter's value (RFC 1870 §3).</summary>
    public long Size => Prefix.Length + Length;

    /// <summary>The sender's DSN parameters (RFC 3461), passed on to a next hop that offers DSN; null for none.</summary>
    public DsnRequest? Dsn { get; init; }
}
