using System.Security.Cryptography;
using System.Text;
using Rampart.Store.Mime;
using Rampart.Store.Sqlite.Blobs;

namespace Rampart.Store.Sqlite.Accounts;

/// <summary>A stored blob with its metadata computed once, ready to be committed into any number of accounts: the full
/// record and, apart, the compact structure FETCH reads (<see cref="MessageStructureCodec"/>). The blob may still be on
/// its way to disk (<see cref="StoredBlob.Durable"/>); the commit that names it waits for that.</summary>
internal sealed record PreparedMessage(StoredBlob Blob, MessageMetadata Metadata, byte[] EncodedMetadata, byte[] EncodedStructure)
{
    /// <summary>Parses the final blob file (seekable, never the network stream) and serialises the metadata.</summary>
    public static async Task<PreparedMessage> CreateAsync(BlobStore blobs, StoredBlob blob, MimeLimits limits, CancellationToken cancellationToken)
    {
        var stream = blobs.Open(blob.Hash);
        await using (stream.ConfigureAwait(false))
        {
            var metadata = MessageAnalyzer.Analyze(stream, limits, cancellationToken);
            // The stored record leaves the search texts out: the full-text index holds them, nothing reads them back
            // from here, and they were most of the row (as large as the message itself, written to the WAL and again
            // at the checkpoint for every delivery).
            var stored = metadata with { HeaderText = string.Empty, BodyText = string.Empty };
            return new PreparedMessage(blob, metadata, MessageMetadataSerializer.Serialize(stored), MessageStructureCodec.Encode(metadata));
        }
    }

    /// <summary>RFC 8474 EMAILID: derived from the account and the blob, so it is stable across COPY and MOVE
    /// and does not reveal that two accounts hold the same message.</summary>
    public static string EmailId(long accountId, string hash)
    {
        var digest = SHA256.HashData(Encoding.ASCII.GetBytes(FormattableString.Invariant($"{accountId}:{hash}")));
        return "M" + Convert.ToHexStringLower(digest)[..24];
    }
}
