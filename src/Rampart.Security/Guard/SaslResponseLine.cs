using System.Buffers;
using Rampart.Net.Reading;

namespace Rampart.Security.Guard;

/// <summary>One line a client sent inside a SASL exchange, as the protocol's reader delivered it.</summary>
/// <param name="Line">The line without CRLF; null when the reader refused it or the client left.</param>
/// <param name="Closed">True when the client closed the connection.</param>
public readonly record struct SaslResponseLine(byte[]? Line, bool Closed)
{
    /// <summary>The client left.</summary>
    public static SaslResponseLine EndOfStream => new(null, true);

    /// <summary>A line the reader refused (skipped up to its end).</summary>
    public static SaslResponseLine Refused => new(null, false);

    /// <summary>
    /// Reads one response line from a line protocol (POP3 RFC 5034 §4, SMTP RFC 4954 §4): the line, or
    /// <see cref="Refused"/> for one over the line limit, with a NUL or a bare LF (the rest of it is skipped, so the
    /// session stays in step), or <see cref="EndOfStream"/>.
    /// </summary>
    public static async ValueTask<SaslResponseLine> ReadAsync(ProtocolReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var result = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        return result.Status switch
        {
            LineReadStatus.Line => new(result.Line.ToArray(), false),
            LineReadStatus.EndOfStream => EndOfStream,
            _ => await reader.SkipLineAsync(cancellationToken).ConfigureAwait(false) ? Refused : EndOfStream,
        };
    }
}
