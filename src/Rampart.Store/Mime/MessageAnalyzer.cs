using System.Text;
using MimeKit.Utils;

namespace Rampart.Store.Mime;

/// <summary>Computes <see cref="MessageMetadata"/> from a message's raw bytes, once, at delivery.</summary>
/// <remarks>
/// The structure is found by <see cref="MimeStructureReader"/> in one linear pass over the stream (never the
/// whole message in memory, no recursion); MimeKit parses the individual header values and decodes text parts.
/// Limits (<see cref="MimeLimits"/>): a multipart or message nested deeper than MaxDepth, a multipart with no
/// boundary, and an encoded message/rfc822 are described as opaque application/octet-stream leaves covering their
/// raw octets; parts beyond MaxParts are omitted (their octets stay inside the parent's body); address lists stop at
/// MaxAddressesPerHeader. <see cref="MessageMetadata.LimitHit"/> names the first limit hit.
/// </remarks>
public static class MessageAnalyzer
{
    /// <summary>Number of characters in an RFC 8970 preview.</summary>
    public const int PreviewLength = 256;

    /// <summary>Parses a seekable stream positioned at the start of the raw message; offsets are counted from that
    /// position. Never throws for malformed input: whatever can be made of it is described, and limits cut the
    /// description, not the message. The stream's position is left unspecified.</summary>
    /// <exception cref="ArgumentException">The stream cannot seek (text parts are decoded from their offsets).</exception>
    public static MessageMetadata Analyze(Stream raw, MimeLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (!raw.CanSeek)
        {
            throw new ArgumentException("The message stream must be seekable.", nameof(raw));
        }

        limits ??= MimeLimits.Default;
        long origin = raw.Position;
        var source = origin == 0 ? raw : new BoundOrigin(raw, origin);
        var structure = MimeStructureReader.Read(source, limits, cancellationToken);
        var analysis = new Analysis(source, limits, structure.LimitHit);

        // Nodes are in start order, so every child comes after its parent: describing them backwards describes
        // children first, without recursion.
        var nodes = structure.Nodes;
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            nodes[i].Described = analysis.Describe(nodes[i]);
        }

        var top = nodes[0];
        var envelope = analysis.Envelope(top);
        var fields = analysis.Fields(top);
        var (preview, bodyText) = analysis.Text(nodes, cancellationToken);
        return new MessageMetadata(envelope, top.Described!, fields, preview, analysis.HeaderText(top), bodyText, analysis.LimitHit);
    }

    private sealed class Analysis(Stream raw, MimeLimits limits, string? limitHit)
    {
        public string? LimitHit { get; private set; } = limitHit;

        public BodyPart Describe(PartNode node)
        {
            bool structured = (node.IsMultipart && node.Children.Count > 0) || (node.IsMessage && node.Embedded is not null);
            bool opaque = !structured && (node.Type == "multipart" || node.IsMessage || node.Opaque);
            var (disposition, dispositionParameters) = ContentTypeReader.Disposition(node);
            return new BodyPart(
                Type: opaque ? "application" : node.Type,
                Subtype: opaque ? "octet-stream" : node.Subtype,
                Parameters: opaque ? [] : node.Parameters,
                ContentId: ContentTypeReader.Raw(node, "Content-ID"),
                Description: ContentTypeReader.Raw(node, "Content-Description"),
                Encoding: ContentTypeReader.Encoding(node),
                HeaderOffset: node.HeaderOffset,
                HeaderLength: node.HeaderEnd - node.HeaderOffset,
                BodyOffset: node.HeaderEnd,
                BodyLength: node.BodyEnd - node.HeaderEnd,
                Lines: node.Lines,
                Md5: ContentTypeReader.Raw(node, "Content-MD5"),
                Disposition: disposition,
                DispositionParameters: dispositionParameters,
                Languages: ContentTypeReader.Languages(node),
                Location: ContentTypeReader.Raw(node, "Content-Location"),
                Parts: structured && node.IsMultipart ? node.Children.Select(child => child.Described!).ToList() : [],
                MessageEnvelope: structured && node.IsMessage ? Envelope(node.Embedded!) : null,
                Message: structured && node.IsMessage ? node.Embedded!.Described : null);
        }

        /// <summary>RFC 9051 §7.5.2. Sender and Reply-To default to From when absent or empty, as the server must.</summary>
        public Envelope Envelope(PartNode node)
        {
            var from = Addresses(node, "From");
            var sender = Addresses(node, "Sender");
            var replyTo = Addresses(node, "Reply-To");
            return new Envelope(
                Date: ContentTypeReader.Raw(node, "Date"),
                Subject: ContentTypeReader.Raw(node, "Subject"),
                From: from,
                Sender: sender.Count > 0 ? sender : from,
                ReplyTo: replyTo.Count > 0 ? replyTo : from,
                To: Addresses(node, "To"),
                Cc: Addresses(node, "Cc"),
                Bcc: Addresses(node, "Bcc"),
                InReplyTo: ContentTypeReader.Raw(node, "In-Reply-To"),
                MessageId: ContentTypeReader.Raw(node, "Message-ID"));
        }

        public HeaderFields Fields(PartNode node)
        {
            var from = Parse(node, "From");
            var to = Parse(node, "To");
            var cc = Parse(node, "Cc");
            var bcc = Parse(node, "Bcc");
            string subject = Decode(node.Header("Subject"));
            DateTimeOffset? date = node.Header("Date") is { } dateField && DateUtils.TryParse(dateField.Value, out var parsed)
                ? parsed
                : null;
            var messageIds = Ids(node, "Message-ID");
            return new HeaderFields(
                Subject: subject,
                From: AddressListReader.ToSearchText(from),
                To: AddressListReader.ToSearchText(to),
                Cc: AddressListReader.ToSearchText(cc),
                Bcc: AddressListReader.ToSearchText(bcc),
                Date: date,
                MessageId: messageIds.Count > 0 ? messageIds[0] : null,
                InReplyTo: Ids(node, "In-Reply-To"),
                References: Ids(node, "References"),
                SortSubject: BaseSubject.Extract(subject),
                SortFrom: AddressListReader.SortKey(from),
                SortTo: AddressListReader.SortKey(to),
                SortCc: AddressListReader.SortKey(cc),
                DisplayFrom: AddressListReader.DisplayName(from),
                DisplayTo: AddressListReader.DisplayName(to));
        }

        /// <summary>"Name: decoded value" lines of the top-level header, capped like the body text.</summary>
        public string HeaderText(PartNode node)
        {
            var text = new StringBuilder();
            foreach (var field in node.Headers)
            {
                text.Append(field.Name).Append(": ").Append(Decode(field)).Append('\n');
                if (text.Length >= limits.MaxIndexedTextChars)
                {
                    break;
                }
            }

            return TextExtractor.Cut(text.ToString(), limits.MaxIndexedTextChars);
        }

        /// <summary>The preview (first text/plain part that is not an attachment, else the first text/html) and the
        /// text of every text part for search.</summary>
        public (string Preview, string BodyText) Text(List<PartNode> nodes, CancellationToken cancellationToken)
        {
            PartNode? plain = null;
            PartNode? html = null;
            var body = new StringBuilder();
            foreach (var node in nodes)
            {
                var described = node.Described!;
                if (described.Type != "text" || described.Parts.Count > 0)
                {
                    continue;
                }

                bool attachment = described.Disposition == "attachment";
                if (!attachment && described.Subtype == "plain")
                {
                    plain ??= node;
                }
                else if (!attachment && described.Subtype == "html")
                {
                    html ??= node;
                }

                int room = limits.MaxIndexedTextChars - body.Length;
                if (room <= 0)
                {
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (body.Length > 0)
                {
                    body.Append('\n');
                    room--;
                }

                body.Append(TextExtractor.Decode(raw, node, room));
            }

            var first = plain ?? html;
            string preview = first is null ? string.Empty : TextExtractor.Preview(TextExtractor.Decode(raw, first, PreviewLength * 16), PreviewLength);
            return (preview, body.ToString());
        }

        private List<EnvelopeAddress> Addresses(PartNode node, string name) =>
            AddressListReader.ToEnvelope(Parse(node, name));

        private IReadOnlyList<MimeKit.InternetAddress> Parse(PartNode node, string name)
        {
            var addresses = AddressListReader.Parse(node.Header(name)?.Value, limits.MaxAddressesPerHeader, out bool cut);
            if (cut)
            {
                LimitHit ??= $"addresses>{limits.MaxAddressesPerHeader}";
            }

            return addresses;
        }

        private List<string> Ids(PartNode node, string name)
        {
            var field = node.Header(name);
            if (field is null)
            {
                return [];
            }

            return MimeUtils.EnumerateReferences(field.Value, 0, field.Value.Length).Take(limits.MaxAddressesPerHeader).ToList();
        }

        private static string Decode(RawHeaderField? field) =>
            field is null ? string.Empty : Rfc2047.DecodeText(MimeStructureReader.Options, field.Value);
    }
}
