using System.Globalization;
using Rampart.Bench.Delivery.Corpus;
using Rampart.Store;
using Rampart.Store.Model;
using Rampart.Store.Sqlite;

namespace Rampart.Bench.Delivery.Measurement;

/// <summary>Deliveries through <see cref="IMailStore.DeliverAsync"/> of the embedded SQLite store, each one timed until
/// the store says it is durable. Every scenario gets a fresh data directory: blobs are content-addressed, so a
/// second delivery of the same corpus into the same store would skip the blob writes and flatter the figures.</summary>
internal static class StoreDelivery
{
    /// <param name="directory">The benchmark's working folder; the scenario's store goes in a subfolder.</param>
    /// <param name="corpus">The messages, each delivered once.</param>
    /// <param name="writers">Concurrent writers.</param>
    /// <param name="accounts">1: all writers deliver into one account; otherwise writer <c>w</c> delivers into account <c>w</c>.</param>
    /// <param name="durable">fsync on (the store's default) or off (comparison only).</param>
    public static async Task<RunResult> RunAsync(string directory, IReadOnlyList<CorpusMessage> corpus, int writers, int accounts, bool durable)
    {
        var name = accounts == 1 ? "deliver, 1 account" : string.Create(CultureInfo.InvariantCulture, $"deliver, {accounts} accounts");
        var folder = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"store-w{writers}-a{accounts}"));
        await using var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = folder, Durable = durable });
        var targets = new DeliveryTarget[accounts][];
        for (var a = 0; a < accounts; a++)
        {
            var account = string.Create(CultureInfo.InvariantCulture, $"bench{a}");
            await store.CreateAccountAsync(account, [account + "@bench.rampart.test"]);
            targets[a] = [new DeliveryTarget(account, null, MessageFlags.Empty)];
        }

        return await ConcurrentRun.RunAsync(name, corpus.Count, writers, async (worker, index) =>
        {
            var message = corpus[index];
            using var stream = new MemoryStream(message.Bytes, writable: false);
            var outcomes = await store.DeliverAsync(stream, targets[worker % accounts]);
            if (outcomes[0].Error is { } error)
            {
                throw new InvalidOperationException($"delivery of message {message.Index} failed: {error}");
            }

            return message.Bytes.Length;
        });
    }
}
