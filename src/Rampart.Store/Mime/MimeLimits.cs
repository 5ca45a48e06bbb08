namespace Rampart.Store.Mime;

/// <summary>Limits applied while parsing a message at delivery (SECURITY.md M05, M06). Over a limit the message is
/// still stored byte-exact; the metadata stops at the limit and says which one was hit.</summary>
public sealed record MimeLimits
{
    /// <summary>Highest accepted <see cref="MaxDepth"/>: the stored metadata nests a few JSON levels per MIME level.</summary>
    public const int HighestMaxDepth = 300;

    /// <summary>Deepest MIME nesting described, counting the top-level entity as 1 and one more per multipart or
    /// message/rfc822 level. Default 100, at most <see cref="HighestMaxDepth"/>. A multipart or message at this depth
    /// is described as an opaque application/octet-stream leaf and <see cref="MessageMetadata.LimitHit"/> is "depth&gt;N".</summary>
    public int MaxDepth
    {
        get => maxDepth;
        init => maxDepth = value is >= 1 and <= HighestMaxDepth
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"MaxDepth must be between 1 and {HighestMaxDepth}.");
    }

    private readonly int maxDepth = 100;

    /// <summary>Most MIME parts described (every entity counts, the top-level one and embedded messages included).
    /// Default 10,000. Later parts are omitted (their octets stay in the parent's body) and
    /// <see cref="MessageMetadata.LimitHit"/> is "parts&gt;N".</summary>
    public int MaxParts { get; init; } = 10_000;

    /// <summary>Most addresses kept per address header (and ids per References/In-Reply-To). Default 1,000 (M06: a
    /// 500k-address header is cut before it is parsed, not parsed whole); <see cref="MessageMetadata.LimitHit"/> is "addresses&gt;N".</summary>
    public int MaxAddressesPerHeader { get; init; } = 1_000;

    /// <summary>Most characters of decoded text kept for the full-text index. Default 1 MiB characters.</summary>
    public int MaxIndexedTextChars { get; init; } = 1 << 20;

    public static MimeLimits Default { get; } = new();
}
