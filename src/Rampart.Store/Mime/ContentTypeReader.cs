using MimeKit;

namespace Rampart.Store.Mime;

/// <summary>Reads the Content-* fields of one entity (RFC 2045 §5, RFC 2183, RFC 2231 parameter values decoded by MimeKit).</summary>
internal static class ContentTypeReader
{
    /// <summary>Sets the node's media type and parameters. Absent or unreadable Content-Type means text/plain;
    /// charset=us-ascii, or message/rfc822 in a multipart/digest (RFC 2045 §5.2, RFC 2046 §5.1.5).</summary>
    public static void Apply(PartNode node)
    {
        var field = node.Header("Content-Type");
        if (field is not null
            && ContentType.TryParse(MimeStructureReader.Options, field.Value, out var type)
            && !string.IsNullOrEmpty(type.MediaType)
            && !string.IsNullOrEmpty(type.MediaSubtype))
        {
            node.Type = type.MediaType.ToLowerInvariant();
            node.Subtype = type.MediaSubtype.ToLowerInvariant();
            node.Parameters = type.Parameters
                .Select(p => new KeyValuePair<string, string>(p.Name.ToLowerInvariant(), p.Value ?? string.Empty))
                .ToList();
            return;
        }

        if (node.DigestChild)
        {
            node.Type = "message";
            node.Subtype = "rfc822";
            node.Parameters = [];
            return;
        }

        node.Type = "text";
        node.Subtype = "plain";
        node.Parameters = [new("charset", "us-ascii")];
    }

    /// <summary>Content-Transfer-Encoding, upper-case, "7BIT" when absent (RFC 2045 §6.1).</summary>
    public static string Encoding(PartNode node)
    {
        var value = node.Header("Content-Transfer-Encoding")?.RawText.Trim();
        return string.IsNullOrEmpty(value) ? "7BIT" : value.ToUpperInvariant();
    }

    /// <summary>A message/rfc822 whose octets are encoded cannot be read as a message without decoding it.</summary>
    public static bool IsEncoded(PartNode node) => Encoding(node) is "BASE64" or "QUOTED-PRINTABLE";

    /// <summary>Content-Disposition (RFC 2183): the lower-case type and its parameters, or null.</summary>
    public static (string? Disposition, IReadOnlyList<KeyValuePair<string, string>> Parameters) Disposition(PartNode node)
    {
        var field = node.Header("Content-Disposition");
        if (field is null || !ContentDisposition.TryParse(MimeStructureReader.Options, field.Value, out var disposition)
            || string.IsNullOrEmpty(disposition.Disposition))
        {
            return (null, []);
        }

        var parameters = disposition.Parameters
            .Select(p => new KeyValuePair<string, string>(p.Name.ToLowerInvariant(), p.Value ?? string.Empty))
            .ToList();
        return (disposition.Disposition.ToLowerInvariant(), parameters);
    }

    /// <summary>Content-Language (RFC 3282): the language tags in order.</summary>
    public static IReadOnlyList<string> Languages(PartNode node)
    {
        var value = node.Header("Content-Language")?.RawText;
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        return value.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(tag => !tag.StartsWith('('))
            .Take(64)
            .ToList();
    }

    /// <summary>A field's raw (unfolded, undecoded) text, or null when absent.</summary>
    public static string? Raw(PartNode node, string name) => node.Header(name)?.RawText;
}
