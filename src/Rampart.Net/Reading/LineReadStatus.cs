namespace Rampart.Net.Reading;

/// <summary>What <see cref="LineReader.TryRead"/> or <see cref="ProtocolReader.ReadLineAsync"/> found.</summary>
public enum LineReadStatus
{
    /// <summary>No complete line yet; feed more bytes (synchronous reader only).</summary>
    NeedMoreData,

    /// <summary>A complete line, without its CRLF. A literal may follow (see <see cref="LiteralHeader"/>).</summary>
    Line,

    /// <summary>More than the line length limit without a line end (M03). Nothing beyond the limit was buffered.</summary>
    LineTooLong,

    /// <summary>A CR not followed by LF, or (unless allowed) an LF without CR (M04).</summary>
    BadLineEnding,

    /// <summary>A NUL byte inside a line (M04): RFC 9051 §4 forbids NUL outside binary literals.</summary>
    NulByte,

    /// <summary>The line announced a literal larger than the caller's limit, or a number too long to be a
    /// length (M01/M02). <see cref="LiteralHeader.Synchronizing"/> says whether the client waits.</summary>
    LiteralTooLarge,

    /// <summary>The line ends like a literal but the length is not a number (<c>{-1}</c>, <c>{}</c>).</summary>
    BadLiteral,

    /// <summary>The command has announced more literals than allowed (M02).</summary>
    TooManyLiterals,

    /// <summary>The peer closed the connection (asynchronous reader only). Bytes of an incomplete line are dropped.</summary>
    EndOfStream,
}
