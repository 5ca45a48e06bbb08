using System.Buffers;

namespace Rampart.Net.Reading;

/// <summary>One answer of <see cref="ProtocolReader.ReadLineAsync"/>.</summary>
/// <param name="Status">What was read.</param>
/// <param name="Line">The line without CRLF when <paramref name="Status"/> is <see cref="LineReadStatus.Line"/>;
/// valid until the next call on the reader.</param>
/// <param name="Literal">The literal announced at the end of the line, if any; with
/// <see cref="LineReadStatus.LiteralTooLarge"/> it tells whether the client is already sending the bytes.</param>
public readonly record struct LineReadResult(LineReadStatus Status, ReadOnlySequence<byte> Line, LiteralHeader? Literal);
