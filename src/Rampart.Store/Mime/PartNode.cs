namespace Rampart.Store.Mime;

/// <summary>What the structure reader learns about one MIME entity before it is described as a <see cref="BodyPart"/>.</summary>
internal sealed class PartNode
{
    public PartNode(PartNode? parent, long headerOffset, int depth, bool digestChild)
    {
        Parent = parent;
        HeaderOffset = headerOffset;
        HeaderEnd = headerOffset;
        BodyEnd = headerOffset;
        Depth = depth;
        DigestChild = digestChild;
    }

    public PartNode? Parent { get; }

    /// <summary>1 for the top-level entity, one more per multipart or message level.</summary>
    public int Depth { get; }

    /// <summary>A child of multipart/digest, whose default type is message/rfc822 (RFC 2046 §5.1.5).</summary>
    public bool DigestChild { get; }

    public List<RawHeaderField> Headers { get; } = [];

    public long HeaderOffset { get; set; }

    /// <summary>Offset just past the blank line that ends the header (the body offset).</summary>
    public long HeaderEnd { get; set; }

    public long BodyEnd { get; set; }

    /// <summary>Line number (in <see cref="RawLineReader.LineNumber"/> terms) before the first body line.</summary>
    public long BodyStartLine { get; set; }

    public long Lines { get; set; }

    public string Type { get; set; } = "text";

    public string Subtype { get; set; } = "plain";

    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; set; } = [];

    /// <summary>The multipart boundary while this node is an open multipart; null otherwise.</summary>
    public string? Boundary { get; set; }

    /// <summary><see cref="Boundary"/> as the octets a delimiter line carries.</summary>
    public byte[]? BoundaryBytes { get; set; }

    /// <summary>A multipart or message beyond a limit, described as an opaque leaf.</summary>
    public bool Opaque { get; set; }

    public List<PartNode> Children { get; } = [];

    /// <summary>For message/rfc822 and message/global: the embedded message's top-level entity.</summary>
    public PartNode? Embedded { get; set; }

    public bool IsMultipart => Type == "multipart" && !Opaque;

    public bool IsMessage => Type == "message" && (Subtype == "rfc822" || Subtype == "global") && !Opaque;

    public BodyPart? Described { get; set; }

    public RawHeaderField? Header(string name)
    {
        foreach (var field in Headers)
        {
            if (field.Is(name))
            {
                return field;
            }
        }

        return null;
    }
}
