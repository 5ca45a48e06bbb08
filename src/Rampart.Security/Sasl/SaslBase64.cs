using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;

namespace Rampart.Security.Sasl;

/// <summary>
/// The base64 framing the protocols use around SASL data (RFC 9051 §6.2.2, RFC 5034 §4, RFC 4954 §4), with
/// the strictness a hostile client calls for: the standard alphabet only, padding required and only at the
/// end, no whitespace or line breaks, no non-canonical trailing bits, and a size limit checked before decoding.
/// </summary>
/// <remarks>
/// Two client lines are not base64 and are the protocol's to handle before calling <see cref="TryDecode(ReadOnlySpan{byte}, int, out byte[])"/>:
/// <c>=</c> is an empty initial response (RFC 4959 §3, RFC 4954 §4; see <see cref="IsEmptyInitialResponse"/>)
/// and <c>*</c> cancels the exchange (RFC 4422 §3.5; see <see cref="IsCancellation"/>). An empty line is a
/// valid, empty response.
/// </remarks>
public static class SaslBase64
{
    /// <summary>True when <paramref name="line"/> is exactly <c>=</c>: an initial response that is present and empty.</summary>
    public static bool IsEmptyInitialResponse(ReadOnlySpan<byte> line) => line.Length == 1 && line[0] == (byte)'=';

    /// <summary>True when <paramref name="line"/> is exactly <c>*</c>: the client cancels the exchange.</summary>
    public static bool IsCancellation(ReadOnlySpan<byte> line) => line.Length == 1 && line[0] == (byte)'*';

    /// <summary>The largest encoded length whose decoding can fit <paramref name="maxDecodedLength"/> bytes.</summary>
    public static int MaxEncodedLength(int maxDecodedLength) => (maxDecodedLength + 2) / 3 * 4;

    /// <summary>
    /// Decodes a client line (without its CRLF) with <see cref="SaslLimits.DefaultMaxResponseBytes"/> as the limit.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out byte[]? decoded) =>
        TryDecode(encoded, SaslLimits.DefaultMaxResponseBytes, out decoded);

    /// <summary>
    /// Decodes a client line (without its CRLF); false when it is not strict base64 or decodes to more than
    /// <paramref name="maxDecodedLength"/> bytes (checked on the length before any decoding).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, int maxDecodedLength, [NotNullWhen(true)] out byte[]? decoded)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDecodedLength);
        decoded = null;
        if (encoded.Length % 4 != 0 || encoded.Length > MaxEncodedLength(maxDecodedLength))
        {
            return false;
        }

        var padding = encoded.IsEmpty ? 0 : encoded[^1] != '=' ? 0 : encoded[^2] == '=' ? 2 : 1;
        var body = encoded[..^padding];
        foreach (var c in body)
        {
            if (!IsAlphabet(c))
            {
                return false;
            }
        }

        // Non-canonical: the bits after the last full byte must be zero, so that each value has one encoding.
        if ((padding == 1 && (Value(body[^1]) & 0x03) != 0) || (padding == 2 && (Value(body[^1]) & 0x0F) != 0))
        {
            return false;
        }

        var buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        if (Base64.DecodeFromUtf8(encoded, buffer, out _, out var written) != System.Buffers.OperationStatus.Done
            || written > maxDecodedLength)
        {
            return false;
        }

        decoded = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }

    /// <summary>Encodes server data (a challenge or additional data) as base64 ASCII bytes, for writing to the wire.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> data)
    {
        var encoded = new byte[Base64.GetMaxEncodedToUtf8Length(data.Length)];
        Base64.EncodeToUtf8(data, encoded, out _, out var written);
        return written == encoded.Length ? encoded : encoded[..written];
    }

    private static bool IsAlphabet(byte c) =>
        c is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'+' or (byte)'/';

    private static int Value(byte c) => c switch
    {
        >= (byte)'A' and <= (byte)'Z' => c - 'A',
        >= (byte)'a' and <= (byte)'z' => c - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => c - '0' + 52,
        (byte)'+' => 62,
        _ => 63,
    };
}
