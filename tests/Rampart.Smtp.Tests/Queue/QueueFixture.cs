using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Smtp.Queue;
using Rampart.Store;
using Rampart.Store.Sqlite;

namespace Rampart.Smtp.Tests.Queue;

/// <summary>A data directory with a real SQLite store and a real on-disk queue; a worker with short retry waits.</summary>
internal sealed class QueueFixture : IAsyncDisposable
{
    private QueueFixture(string data, IMailStore store)
    {
        Data = data;
        Store = store;
        Queue = new FileOutboundQueue(data);
    }

    public string Data { get; }

    public IMailStore Store { get; }

    public FileOutboundQueue Queue { get; private set; }

    public OutboundQueueOptions Options { get; } = new()
    {
        HeloName = "rampart.test",
        RetrySchedule = [TimeSpan.FromMilliseconds(200)],
        RetryPollInterval = TimeSpan.FromMilliseconds(100),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        CommandTimeout = TimeSpan.FromSeconds(10),
        DataTimeout = TimeSpan.FromSeconds(10),
        DnsTimeout = TimeSpan.FromSeconds(2),
    };

    public static async Task<QueueFixture> CreateAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "rampart-queue-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = data });
        await store.CreateAccountAsync("alice", ["alice@local.test"]);
        return new QueueFixture(data, store);
    }

    public DeliveryWorker Worker() => new(Queue, Store, Options, NullLogger.Instance);

    /// <summary>A new queue object over the same directory, as after a restart.</summary>
    public void Restart() => Queue = new FileOutboundQueue(Data);

    public static Stream Message(string body = "Hello.\r\n") =>
        new MemoryStream(System.Text.Encoding.UTF8.GetBytes(
            "From: Alice <alice@local.test>\r\nTo: bob@example.test\r\nSubject: test\r\nMessage-ID: <1@local.test>\r\n\r\n" + body));

    /// <summary>The messages in an account's INBOX, parsed.</summary>
    public async Task<List<MimeKit.MimeMessage>> InboxAsync(string account)
    {
        await using var view = await Store.OpenAccountAsync(account);
        var inbox = (await view.GetMailboxAsync("INBOX"))!;
        var messages = new List<MimeKit.MimeMessage>();
        foreach (var uid in await view.ListUidsAsync(inbox.Id))
        {
            await using var stream = await view.OpenMessageAsync(inbox.Id, uid);
            messages.Add(await MimeKit.MimeMessage.LoadAsync(stream));
        }

        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(Data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
