namespace Rampart.Net.Reading;

/// <summary>A literal announced at the end of a line: <c>{N}</c>, <c>{N+}</c> or <c>~{N}</c>.</summary>
/// <param name="Length">Octets that follow the CRLF; -1 when the number is too long to represent.</param>
/// <param name="Synchronizing">True for <c>{N}</c>: the client waits for a continuation before sending the
/// bytes (RFC 9051 §4.3). False for <c>{N+}</c> (RFC 7888 LITERAL+/LITERAL-): the bytes are already coming.</param>
/// <param name="Binary">True for <c>~{N}</c> (RFC 3516 literal8): the bytes may contain NUL.</param>
public readonly record struct LiteralHeader(long Length, bool Synchronizing, bool Binary);
