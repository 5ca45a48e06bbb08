using System.Globalization;
using Rampart.Fuzz.Support;
using Rampart.Store.Mime;

namespace Rampart.Fuzz.Targets;

/// <summary>
/// Analyzes arbitrary octets as a delivered message with <see cref="MessageAnalyzer.Analyze"/>, which is documented
/// never to throw for malformed input, and stores the result as the store does (<see cref="MessageMetadataSerializer"/>).
/// </summary>
/// <remarks>
/// <para>Input: one option octet (odd: small limits — depth 4, 12 parts, 4 addresses per header, 64 indexed characters;
/// even: the defaults), then the message.</para>
/// <para>Checked promises: every part's header and body lie inside the message and inside their parent's body, in
/// order; the part count and nesting depth stay within the limits; the preview is at most
/// <see cref="MessageAnalyzer.PreviewLength"/> characters; and the metadata survives the store's JSON round trip
/// unchanged.</para>
/// </remarks>
internal sealed class MimeTarget : IFuzzTarget
{
    private static readonly MimeLimits Small = new()
    {
        MaxDepth = 4,
        MaxParts = 12,
        MaxAddressesPerHeader = 4,
        MaxIndexedTextChars = 64,
    };

    public string Name => "mime";

    public string Summary => "Rampart.Store MessageAnalyzer.Analyze (MIME structure, envelope, text) and the metadata JSON round trip";

    public void Run(ReadOnlySpan<byte> input)
    {
        var options = FuzzInput.TakeOptions(input, out var message);
        var limits = (options & 1) != 0 ? Small : MimeLimits.Default;
        using var stream = new MemoryStream(message.ToArray(), writable: false);
        var metadata = MessageAnalyzer.Analyze(stream, limits);

        var parts = 0;
        CheckPart(metadata.Body, 0, message.Length, depth: 1, limits, ref parts);
        InvariantViolationException.Check(parts <= limits.MaxParts, "More parts described than MaxParts.");
        InvariantViolationException.Check(metadata.Preview.Length <= MessageAnalyzer.PreviewLength, "The preview is longer than PreviewLength.");

        var json = MessageMetadataSerializer.Serialize(metadata);
        var again = MessageMetadataSerializer.Serialize(MessageMetadataSerializer.Deserialize(json));
        InvariantViolationException.Check(json.AsSpan().SequenceEqual(again), "The stored metadata does not round-trip.");
    }

    private static void CheckPart(BodyPart part, long start, long end, int depth, MimeLimits limits, ref int parts)
    {
        parts++;
        InvariantViolationException.Check(depth <= limits.MaxDepth, "A part nested deeper than MaxDepth.");
        InvariantViolationException.Check(
            part.HeaderOffset >= start && part.HeaderLength >= 0 && part.HeaderOffset + part.HeaderLength <= part.BodyOffset
            && part.BodyLength >= 0 && part.BodyOffset + part.BodyLength <= end && part.Lines >= 0,
            string.Create(
                CultureInfo.InvariantCulture,
                $"A part's header or body lies outside its parent, or out of order: {part.Type}/{part.Subtype} at depth {depth}, header {part.HeaderOffset}+{part.HeaderLength}, body {part.BodyOffset}+{part.BodyLength}, lines {part.Lines}; allowed span {start}..{end}."));
        InvariantViolationException.Check(part.Parts.Count == 0 || part.Message is null, "A part is both a multipart and a message.");

        var childStart = part.BodyOffset;
        foreach (var child in part.Parts)
        {
            CheckPart(child, childStart, part.BodyOffset + part.BodyLength, depth + 1, limits, ref parts);
            childStart = child.BodyOffset + child.BodyLength;
        }

        if (part.Message is { } embedded)
        {
            CheckPart(embedded, part.BodyOffset, part.BodyOffset + part.BodyLength, depth + 1, limits, ref parts);
        }
    }
}
