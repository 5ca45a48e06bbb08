using System.Text;

namespace Rampart.Store.Mime;

/// <summary>One header field as it appears in the raw message: its name and its value unfolded (the line breaks of
/// folding removed, the whitespace kept, RFC 5322 §2.2.3), not decoded.</summary>
internal sealed class RawHeaderField(string name, byte[] value)
{
    public string Name { get; } = name;

    /// <summary>Unfolded value bytes, leading and trailing whitespace trimmed.</summary>
    public byte[] Value { get; } = value;

    public bool Is(string name) => Name.Equals(name, StringComparison.OrdinalIgnoreCase);

    /// <summary>The value as text without decoding encoded-words: UTF-8 when it is valid UTF-8 (RFC 6532), else
    /// Latin-1 so that every octet survives.</summary>
    public string RawText => AsText(Value);

    public static string AsText(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
