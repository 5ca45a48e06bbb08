namespace Rampart.Store.Mime;

/// <summary>Limits applied while parsing a message at delivery (SECURITY.md M05, M06). Over a limit the message is
/// still stored byte-exact; the metadata stops at the limit and says which one was hit.</summary>
public sealed record MimeLimits
{
    /// <summary>Deepest MIME nesting parsed (multipart and message/rfc822 levels). Default 100.</summary>
    public int MaxDepth { get; init; } = 100;

    /// <summary>Most MIME parts described. Default 10,000.</summary>
    public int MaxParts { get; init; } = 10_000;

    /// <summary>Most addresses kept per address header. Default 1,000 (M06: a 500k-address header is cut, not parsed whole into the envelope).</summary>
    public int MaxAddressesPerHeader { get; init; } = 1_000;

    /// <summary>Most characters of decoded text kept for the full-text index. Default 1 MiB characters.</summary>
    public int MaxIndexedTextChars { get; init; } = 1 << 20;

    public static MimeLimits Default { get; } = new();
}
