namespace Rampart.Store.Mime;

/// <summary>Computes <see cref="MessageMetadata"/> from a message's raw bytes with MimeKit, once, at delivery.</summary>
public static class MessageAnalyzer
{
    /// <summary>Parses a seekable stream positioned at the start of the raw message. Never throws for malformed
    /// input: whatever MimeKit can make of it is described, and limits cut the description, not the message.</summary>
    public static MessageMetadata Analyze(Stream raw, MimeLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(raw);
        throw new NotImplementedException("MessageAnalyzer arrives with the MIME work.");
    }
}
