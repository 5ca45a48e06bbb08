using System.Buffers;
using System.Collections.Concurrent;
using Rampart.Pop3.Protocol;
using Rampart.Store;

namespace Rampart.Pop3.Maildrop;

/// <summary>
/// The size each message has on the wire (CRLF line ends, see <see cref="MessageEncoder"/>), by content address.
/// </summary>
/// <remarks>
/// The store records the exact size of the stored bytes. For mail that arrived over SMTP or LMTP it already has
/// CRLF line ends and the two sizes agree, but a message delivered from a Unix file keeps its bare LFs, and RFC
/// 1939 §5 wants LIST and STAT to give the size RETR sends. The store contract has no CRLF size, so it is counted
/// here once per blob by streaming the message through the encoder, and kept: blobs are immutable and
/// content-addressed, so an entry never goes stale. It is computed lazily, the first time STAT or LIST needs it.
/// </remarks>
public sealed class WireSizeCache
{
    /// <summary>Default <see cref="MaxEntries"/>: 100 000 sizes, a few MB of memory.</summary>
    public const int DefaultMaxEntries = 100_000;

    private const int ChunkSize = 64 * 1024;
    private readonly ConcurrentDictionary<string, long> _sizes = new(StringComparer.Ordinal);

    /// <summary>Entries kept. When full, the cache is emptied and refilled as sessions ask: simple, and bounded.</summary>
    public int MaxEntries { get; init; } = DefaultMaxEntries;

    /// <summary>Entries held now.</summary>
    public int Count => _sizes.Count;

    /// <summary>The wire size of message <paramref name="uid"/> whose blob is <paramref name="blobId"/>.</summary>
    public async ValueTask<long> GetAsync(IAccountStore store, long mailboxId, uint uid, string blobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (_sizes.TryGetValue(blobId, out var size))
        {
            return size;
        }

        size = await CountAsync(store, mailboxId, uid, cancellationToken);
        if (_sizes.Count >= MaxEntries)
        {
            _sizes.Clear();
        }

        _sizes[blobId] = size;
        return size;
    }

    private static async Task<long> CountAsync(IAccountStore store, long mailboxId, uint uid, CancellationToken cancellationToken)
    {
        var encoder = new MessageEncoder(dotStuff: false);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            await using var stream = await store.OpenMessageAsync(mailboxId, uid, cancellationToken);
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken)) > 0)
            {
                encoder.Encode(buffer.AsSpan(0, read), null);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        encoder.Finish(null);
        return encoder.Written;
    }
}
