using System.Buffers;
using System.Text;
using MimeKit;

namespace Rampart.Store.Mime;

/// <summary>Finds the MIME structure of a raw message in one forward pass, without recursion, recording every
/// part's header and body octet ranges (RFC 2045, RFC 2046 §5.1 boundaries, RFC 9051 §6.4.5 part ranges).</summary>
/// <remarks>
/// Rampart reads the structure itself instead of building a MimeKit object tree because the tree costs time and
/// memory per part and MimeKit's header reader is quadratic in the number of folded lines of one field (a folded
/// 40,000-address To header takes seconds): SECURITY.md M05/M06 need linear time whatever the input.
/// MimeKit still parses the individual values (Content-Type, addresses, encoded-words, dates), on bounded input.
/// The CRLF before a boundary delimiter belongs to the delimiter (RFC 2046 §5.1.1), so a part's body ends before it.
/// </remarks>
internal sealed class MimeStructureReader
{
    /// <summary>Longest prefix of a line kept for header parsing: 64 KiB. The rest of a longer line is skipped
    /// (still counted in offsets), which bounds memory for a 50 MB line.</summary>
    internal const int MaxKeptLineBytes = 64 * 1024;

    /// <summary>Most value bytes kept for one header field: 256 KiB, enough for <see cref="MimeLimits.MaxAddressesPerHeader"/>
    /// addresses; a longer field is cut (and its addresses capped).</summary>
    internal const int MaxFieldBytes = 256 * 1024;

    /// <summary>Most header bytes kept per entity: 1 MiB (each field also costs <see cref="FieldOverhead"/>). Past it
    /// only the first field of each name the analyzer uses is kept, so a million junk fields cost nothing.</summary>
    internal const int MaxHeaderBlockBytes = 1024 * 1024;

    private const int FieldOverhead = 32;

    internal static readonly ParserOptions Options = new() { MaxMimeDepth = 1, MaxAddressGroupDepth = 3 };

    private static readonly HashSet<string> UsedFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Content-ID", "Content-Description",
        "Content-MD5", "Content-Language", "Content-Location", "Date", "Subject", "From", "Sender", "Reply-To",
        "To", "Cc", "Bcc", "In-Reply-To", "Message-ID", "References",
    };

    private enum Mode
    {
        Header,
        LeafBody,
        MultipartText,
        Skipping,
    }

    private readonly RawLineReader reader;
    private readonly MimeLimits limits;
    private readonly List<PartNode> open = [];
    private readonly ArrayBufferWriter<byte> pendingValue = new();
    private string? pendingName;
    private long keptHeaderBytes;
    private PartNode? current;
    private Mode mode;
    private int previousTerminator;

    private MimeStructureReader(Stream raw, MimeLimits limits)
    {
        reader = new RawLineReader(raw, 0, MaxKeptLineBytes);
        this.limits = limits;
    }

    /// <summary>All entities in the order they start (a parent before its children).</summary>
    public List<PartNode> Nodes { get; } = [];

    public string? LimitHit { get; private set; }

    /// <summary>Reads the whole stream; the first node is the top-level entity.</summary>
    public static MimeStructureReader Read(Stream raw, MimeLimits limits, CancellationToken cancellationToken)
    {
        var structure = new MimeStructureReader(raw, limits);
        structure.Run(cancellationToken);
        return structure;
    }

    private void Run(CancellationToken cancellationToken)
    {
        current = NewNode(null, 0, 1, digestChild: false)!;
        mode = Mode.Header;
        while (reader.ReadLine())
        {
            if ((reader.LineNumber & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            OnLine();
            previousTerminator = reader.TerminatorLength;
        }

        // End of the message: everything still open ends here, final newline included.
        CloseOpen(null, reader.Offset, reader.LineNumber);
    }

    private void OnLine()
    {
        var line = reader.Line;
        if (line.Length >= 2 && line[0] == '-' && line[1] == '-' && !reader.Truncated && MatchBoundary(line, out var multipart, out bool close))
        {
            OnBoundary(multipart!, close);
            return;
        }

        switch (mode)
        {
            case Mode.Header:
                OnHeaderLine(line);
                break;
            default:
                // Body, preamble, epilogue and skipped lines only count, through the line number.
                break;
        }
    }

    private bool MatchBoundary(ReadOnlySpan<byte> line, out PartNode? multipart, out bool close)
    {
        var token = line[2..].TrimEnd(" \t"u8);
        for (int i = open.Count - 1; i >= 0; i--)
        {
            var boundary = open[i].Boundary;
            if (boundary is null)
            {
                continue;
            }

            int length = open[i].BoundaryBytes!.Length;
            if (token.Length == length && token.SequenceEqual(open[i].BoundaryBytes))
            {
                multipart = open[i];
                close = false;
                return true;
            }

            if (token.Length == length + 2 && token.EndsWith("--"u8) && token[..length].SequenceEqual(open[i].BoundaryBytes))
            {
                multipart = open[i];
                close = true;
                return true;
            }
        }

        multipart = null;
        close = false;
        return false;
    }

    private void OnBoundary(PartNode multipart, bool close)
    {
        long lineOffset = reader.LineOffset;

        // RFC 2046 §5.1.1: the line break before the delimiter is part of the delimiter.
        long end = lineOffset - previousTerminator;
        CloseOpen(multipart, end, reader.LineNumber - 1);
        current = null;
        if (close)
        {
            // Epilogue: later lines, even ones that look like this boundary, belong to the multipart's body.
            multipart.Boundary = null;
            multipart.BoundaryBytes = null;
            mode = Mode.MultipartText;
            return;
        }

        var child = NewNode(multipart, lineOffset + reader.LineLength, multipart.Depth + 1, multipart.Subtype == "digest");
        if (child is null)
        {
            mode = Mode.Skipping;
            return;
        }

        multipart.Children.Add(child);
        current = child;
        mode = Mode.Header;
    }

    /// <summary>Closes every open entity inside <paramref name="stop"/> (or all, when null): the current one and its
    /// ancestors, popping the multiparts among them.</summary>
    private void CloseOpen(PartNode? stop, long bodyEnd, long endLine)
    {
        var node = current ?? (open.Count > 0 ? open[^1] : null);
        if (current is not null && mode == Mode.Header)
        {
            // A header cut short by a boundary or the end of the message: no body. It ends where its parent's body
            // ends — before the CRLF that belongs to the delimiter (RFC 2046 §5.1.1) — and never before it starts.
            EndHeader(current, Math.Max(current.HeaderOffset, bodyEnd), describeStructure: false);
        }

        while (node is not null && node != stop)
        {
            // RFC 2046 §5.1.1: the CRLF before a delimiter belongs to the delimiter, so no part closed by it may
            // reach into it — not a header whose blank line is that CRLF, nor an empty part that starts on it.
            node.HeaderOffset = Math.Min(node.HeaderOffset, bodyEnd);
            node.HeaderEnd = Math.Clamp(node.HeaderEnd, node.HeaderOffset, Math.Max(node.HeaderOffset, bodyEnd));
            node.BodyEnd = Math.Max(node.HeaderEnd, bodyEnd);
            node.Lines = node.BodyEnd == node.HeaderEnd ? 0 : Math.Max(0, endLine - node.BodyStartLine);
            if (open.Count > 0 && open[^1] == node)
            {
                open.RemoveAt(open.Count - 1);
            }

            node = node.Parent;
        }
    }

    private void OnHeaderLine(ReadOnlySpan<byte> line)
    {
        var node = current!;
        if (reader.LineLength == reader.TerminatorLength)
        {
            EndHeader(node, reader.LineOffset + reader.LineLength, describeStructure: true);
            return;
        }

        if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
        {
            // RFC 5322 §2.2.3 unfolding: drop the line break, keep the whitespace.
            if (pendingName is not null)
            {
                AppendValue(line);
            }

            return;
        }

        FlushField(node);
        int colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return; // Not a header field: ignored, as lenient readers do.
        }

        var name = line[..colon].Trim(" \t"u8);
        if (name.IsEmpty)
        {
            return;
        }

        pendingName = Encoding.Latin1.GetString(name);
        pendingValue.ResetWrittenCount();
        AppendValue(line[(colon + 1)..]);
    }

    private void AppendValue(ReadOnlySpan<byte> bytes)
    {
        int room = MaxFieldBytes - pendingValue.WrittenCount;
        if (room <= 0)
        {
            return;
        }

        pendingValue.Write(bytes.Length > room ? bytes[..room] : bytes);
    }

    private void FlushField(PartNode node)
    {
        if (pendingName is null)
        {
            return;
        }

        var value = pendingValue.WrittenSpan.Trim(" \t\r"u8);
        long cost = pendingName.Length + value.Length + FieldOverhead;
        bool keep = keptHeaderBytes + cost <= MaxHeaderBlockBytes
            || (UsedFields.Contains(pendingName) && node.Header(pendingName) is null);
        if (keep)
        {
            node.Headers.Add(new RawHeaderField(pendingName, value.ToArray()));
            keptHeaderBytes += cost;
        }

        pendingName = null;
        pendingValue.ResetWrittenCount();
    }

    private void EndHeader(PartNode node, long headerEnd, bool describeStructure)
    {
        FlushField(node);
        keptHeaderBytes = 0;
        node.HeaderEnd = headerEnd;
        node.BodyEnd = headerEnd;
        node.BodyStartLine = reader.LineNumber;
        ContentTypeReader.Apply(node);
        mode = Mode.LeafBody;
        if (!describeStructure)
        {
            return;
        }

        if (node.Type == "multipart")
        {
            if (node.Parameters.FirstOrDefault(p => p.Key == "boundary").Value is not { Length: > 0 } boundary)
            {
                return; // No boundary: the body cannot be split; described as an opaque leaf later.
            }

            if (node.Depth >= limits.MaxDepth)
            {
                HitLimit($"depth>{limits.MaxDepth}");
                node.Opaque = true;
                return;
            }

            node.Boundary = boundary;
            node.BoundaryBytes = Encoding.UTF8.GetBytes(boundary);
            open.Add(node);
            current = null;
            mode = Mode.MultipartText;
            return;
        }

        if (node.IsMessage && !ContentTypeReader.IsEncoded(node))
        {
            if (node.Depth >= limits.MaxDepth)
            {
                HitLimit($"depth>{limits.MaxDepth}");
                node.Opaque = true;
                return;
            }

            var embedded = NewNode(node, headerEnd, node.Depth + 1, digestChild: false);
            if (embedded is null)
            {
                node.Opaque = true;
                return;
            }

            node.Embedded = embedded;
            current = embedded;
            mode = Mode.Header;
        }
    }

    private PartNode? NewNode(PartNode? parent, long headerOffset, int depth, bool digestChild)
    {
        if (Nodes.Count >= limits.MaxParts)
        {
            HitLimit($"parts>{limits.MaxParts}");
            return null;
        }

        var node = new PartNode(parent, headerOffset, depth, digestChild);
        Nodes.Add(node);
        return node;
    }

    private void HitLimit(string reason) => LimitHit ??= reason;
}
