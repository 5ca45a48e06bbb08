using Rampart.Security.Sasl;

namespace Rampart.Fuzz.Support;

/// <summary>The promises of <see cref="SaslBase64"/>, checked on any octets.</summary>
internal static class SaslBase64Checks
{
    /// <summary>
    /// Decoding <paramref name="encoded"/> within <paramref name="limit"/> either fails or gives bytes within the limit
    /// whose encoding is exactly the input (strict: one encoding per value); and encoding the octets themselves
    /// decodes back to them whenever they fit the limit.
    /// </summary>
    public static void Check(ReadOnlySpan<byte> encoded, int limit)
    {
        if (SaslBase64.TryDecode(encoded, limit, out var decoded))
        {
            InvariantViolationException.Check(decoded.Length <= limit, "SaslBase64 decoded past its limit.");
            InvariantViolationException.Check(SaslBase64.Encode(decoded).AsSpan().SequenceEqual(encoded), "SaslBase64 accepted a non-canonical encoding.");
        }

        var encodedBack = SaslBase64.Encode(encoded);
        var roundTrip = SaslBase64.TryDecode(encodedBack, limit, out var back);
        InvariantViolationException.Check(
            encoded.Length <= limit ? roundTrip && back!.AsSpan().SequenceEqual(encoded) : !roundTrip,
            "SaslBase64 does not round-trip its own encoding, or decoded past its limit.");
    }
}
