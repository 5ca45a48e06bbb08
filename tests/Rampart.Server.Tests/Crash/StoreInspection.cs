using System.Security.Cryptography;
using Rampart.Store.Model;
using Rampart.Store.Sqlite;

namespace Rampart.Server.Tests.Crash;

/// <summary>Opens the store in-process after a batch of killed deliveries and checks what a crash may and may not
/// leave behind: acknowledged mail present once and byte-exact, nothing visible that is not a whole sent message,
/// and, once the orphan sweep has run, no temporary or unreferenced blob files.</summary>
internal static class StoreInspection
{
    /// <summary>What one inspection found.</summary>
    /// <param name="Visible">Messages in alice's INBOX.</param>
    /// <param name="Problems">Every violation found, one line each; empty when the store is sound.</param>
    public sealed record Report(int Visible, IReadOnlyList<string> Problems);

    public static async Task<Report> InspectAsync(string data, IReadOnlyDictionary<string, CrashMessage> sent, IReadOnlySet<string> acknowledged)
    {
        var problems = new List<string>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        int visible;

        // A grace period of zero: no other process is running now, so any temporary file or unreferenced blob is a
        // crash leftover that the sweep at open must remove.
        var options = new SqliteStoreOptions { DataDirectory = data, OrphanGracePeriod = TimeSpan.Zero };
        await using (var store = await SqliteMailStore.OpenAsync(options))
        {
            await using var account = await store.OpenAccountAsync("alice");
            var inbox = await account.GetMailboxAsync("INBOX") ?? throw new InvalidOperationException("alice has no INBOX");
            var summaries = await account.FetchAsync(inbox.Id, UidSet.All);
            visible = summaries.Count;
            foreach (var summary in summaries)
            {
                byte[] bytes;
                await using (var stream = await account.OpenMessageAsync(inbox.Id, summary.Uid))
                using (var copy = new MemoryStream())
                {
                    await stream.CopyToAsync(copy);
                    bytes = copy.ToArray();
                }

                var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
                referenced.Add(summary.BlobId);
                if (!sent.TryGetValue(hash, out var message))
                {
                    problems.Add($"UID {summary.Uid}: {bytes.Length} bytes that are not any sent message whole");
                    continue;
                }

                counts[hash] = counts.GetValueOrDefault(hash) + 1;
                if (summary.Size != bytes.Length || summary.BlobId != hash)
                {
                    problems.Add($"UID {summary.Uid} ({message.MessageId}): summary says {summary.Size} bytes, blob {summary.BlobId}; read {bytes.Length} bytes, hash {hash}");
                }

                var metadata = await account.GetMetadataAsync(inbox.Id, summary.Uid);
                if (metadata.Envelope.MessageId != message.MessageId)
                {
                    problems.Add($"UID {summary.Uid}: envelope Message-ID {metadata.Envelope.MessageId}, sent {message.MessageId}");
                }
            }
        }

        foreach (var hash in acknowledged)
        {
            var found = counts.GetValueOrDefault(hash);
            if (found != 1)
            {
                problems.Add($"acknowledged {sent[hash].MessageId} found {found} times");
            }
        }

        problems.AddRange(counts.Where(c => c.Value > 1).Select(c => $"{sent[c.Key].MessageId} visible {c.Value} times"));

        var blobs = Path.Combine(data, "blobs");
        var temporary = Path.Combine(blobs, "tmp");
        if (Directory.Exists(temporary))
        {
            problems.AddRange(Directory.EnumerateFiles(temporary).Select(f => "temporary file left after the sweep: " + Path.GetFileName(f)));
        }

        problems.AddRange(Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(temporary + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(f => !referenced.Contains(Path.GetFileName(f)))
            .Select(f => "unreferenced blob left after the sweep: " + Path.GetRelativePath(blobs, f)));

        return new Report(visible, problems);
    }
}
