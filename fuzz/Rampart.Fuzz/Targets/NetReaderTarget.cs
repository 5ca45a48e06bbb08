using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using Rampart.Fuzz.Support;
using Rampart.Net.Reading;

namespace Rampart.Fuzz.Targets;

/// <summary>
/// Drives <see cref="ProtocolReader"/> (and so <see cref="LineReader"/> and the literal syntax) the way a protocol
/// session does: read a line, read or refuse its literal, skip the rest of a refused line, until the peer closes.
/// </summary>
/// <remarks>
/// <para>Input: one option octet, then the wire bytes. Option bits: 0 accepts a bare LF, 1 turns literal detection
/// off (POP3/SMTP), 2 refuses synchronizing literals instead of reading them, 3–7 choose the network chunk size
/// (1–32 octets).</para>
/// <para>The limits are small (line 48, literal 40, 3 literals per command) so that every limit is reached by short
/// inputs. Checked promises: a line is never longer than the limit and holds no CR, LF or NUL; a literal that is
/// read has at most the announced length and never more than the limit; every call makes progress; and the
/// sequence of results is the same whether the bytes arrive in one read or in small chunks (the reader is
/// resumable).</para>
/// </remarks>
internal sealed class NetReaderTarget : IFuzzTarget
{
    /// <summary>Line limit used here: small, so that overlong lines are cheap to reach.</summary>
    public const int MaxLineLength = 48;

    /// <summary>Literal limit used here.</summary>
    public const int MaxLiteralLength = 40;

    /// <summary>Literals per command used here.</summary>
    public const int MaxLiteralsPerCommand = 3;

    public string Name => "net-reader";

    public string Summary => "Rampart.Net ProtocolReader/LineReader: lines, literal headers, literals, skips; chunked vs whole";

    public void Run(ReadOnlySpan<byte> input)
    {
        var options = FuzzInput.TakeOptions(input, out var payload);
        var wire = payload.ToArray();
        var chunk = 1 + (options >> 3);
        var whole = Drive(wire, options, int.MaxValue);
        var chunked = Drive(wire, options, chunk);
        if (!whole.SequenceEqual(chunked))
        {
            var at = whole.Zip(chunked).TakeWhile(p => p.First == p.Second).Count();
            throw new InvariantViolationException(string.Create(
                CultureInfo.InvariantCulture,
                $"Results depend on chunking (chunk {chunk}): result {at} is '{Describe(whole, at)}' in one read and '{Describe(chunked, at)}' in chunks."));
        }
    }

    private static string Describe(List<string> events, int index) => index < events.Count ? events[index] : "(none)";

    private static List<string> Drive(byte[] wire, byte options, int chunk)
    {
        var limits = new LineReaderLimits
        {
            MaxLineLength = MaxLineLength,
            MaxLiteralLength = MaxLiteralLength,
            MaxLiteralsPerCommand = MaxLiteralsPerCommand,
            AllowBareLineFeed = (options & 1) != 0,
            DetectLiterals = (options & 2) == 0,
        };
        var refuseSynchronizing = (options & 4) != 0;
        var pipe = PipeReader.Create(new ChunkedStream(wire, chunk), new StreamPipeReaderOptions(bufferSize: 64, minimumReadSize: 16));
        var reader = new ProtocolReader(pipe, limits);
        var events = new List<string>();

        // Each round consumes at least one octet or ends, so more rounds than octets means the reader is stuck.
        for (var round = 0; round <= wire.Length + 1; round++)
        {
            var result = reader.ReadLineAsync().AsTask().GetAwaiter().GetResult();
            switch (result.Status)
            {
                case LineReadStatus.EndOfStream:
                    events.Add("end");
                    return events;
                case LineReadStatus.Line:
                    CheckLine(result.Line, limits);
                    events.Add("line " + Convert.ToHexString(result.Line.ToArray()) + " " + result.Literal);
                    if (result.Literal is { } literal)
                    {
                        InvariantViolationException.Check(limits.DetectLiterals, "A literal was announced with literal detection off.");
                        InvariantViolationException.Check(literal.Length is >= 0 and <= MaxLiteralLength, "An accepted literal is outside 0..limit.");
                        InvariantViolationException.Check(reader.PendingLiteralLength == literal.Length, "PendingLiteralLength differs from the header.");
                        if (refuseSynchronizing && literal.Synchronizing)
                        {
                            reader.RefuseLiteral();
                            events.Add("refused");
                        }
                        else
                        {
                            using var destination = new MemoryStream();
                            var complete = reader.ReadLiteralAsync(destination).AsTask().GetAwaiter().GetResult();
                            InvariantViolationException.Check(
                                complete ? destination.Length == literal.Length : destination.Length < literal.Length,
                                "A literal read returned another length than announced.");
                            events.Add("literal " + complete + " " + Convert.ToHexString(destination.ToArray()));
                        }

                        InvariantViolationException.Check(reader.PendingLiteralLength == -1, "A literal is still pending after it was read or refused.");
                    }

                    break;
                case LineReadStatus.LiteralTooLarge:
                    // The line was consumed. A client that waits for a continuation sends its next command; one that
                    // is already sending the octets cannot be followed, and the session ends (as the protocols do).
                    InvariantViolationException.Check(result.Literal is not null, "LiteralTooLarge without the literal header.");
                    CheckLine(result.Line, limits);
                    events.Add("too-large " + Convert.ToHexString(result.Line.ToArray()) + " " + result.Literal);
                    if (!result.Literal!.Value.Synchronizing)
                    {
                        return events;
                    }

                    break;
                case LineReadStatus.BadLiteral or LineReadStatus.TooManyLiterals:
                    // Literal statuses: the line was consumed, the next call reads the next line.
                    CheckLine(result.Line, limits);
                    events.Add(result.Status + " " + Convert.ToHexString(result.Line.ToArray()));
                    break;
                case LineReadStatus.NeedMoreData:
                    throw new InvariantViolationException("The asynchronous reader returned NeedMoreData.");
                default:
                    InvariantViolationException.Check(result.Line.IsEmpty, "An error status came with a line.");
                    events.Add(result.Status.ToString());
                    events.Add("skip " + reader.SkipLineAsync().AsTask().GetAwaiter().GetResult());
                    break;
            }

            if (events[^1] == "skip False")
            {
                // The peer closed while the line was being skipped: a session ends here.
                return events;
            }
        }

        throw new InvariantViolationException("The reader made no progress: more results than input octets.");
    }

    private static void CheckLine(ReadOnlySequence<byte> line, LineReaderLimits limits)
    {
        InvariantViolationException.Check(line.Length <= limits.MaxLineLength, "A line is longer than MaxLineLength.");
        var reader = new SequenceReader<byte>(line);
        InvariantViolationException.Check(!reader.TryAdvanceToAny("\0\r\n"u8, advancePastDelimiter: false), "A line holds a CR, LF or NUL.");
    }
}
