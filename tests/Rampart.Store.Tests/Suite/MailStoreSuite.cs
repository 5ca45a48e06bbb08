using System.Text;
using Rampart.Store.Model;

namespace Rampart.Store.Tests.Suite;

/// <summary>The backend-independent store tests. Each backend subclasses this once (SQLite now, PostgreSQL later)
/// and so proves the same behaviour of <see cref="IMailStore"/> and <see cref="IAccountStore"/>.</summary>
public abstract partial class MailStoreSuite : IAsyncLifetime
{
    private readonly List<IMailStore> opened = [];

    /// <summary>A fresh directory (or namespace, for a server backend) per test.</summary>
    protected string DataPath { get; private set; } = string.Empty;

    protected IMailStore Store { get; private set; } = null!;

    /// <summary>Opens the backend on <paramref name="directory"/>. Called again with the same directory to simulate
    /// a second process (or node) sharing the data, and to reopen after dispose.</summary>
    protected abstract Task<IMailStore> CreateStoreAsync(string directory);

    /// <summary>The message size limit the backend was opened with in <see cref="CreateStoreAsync"/>.</summary>
    protected abstract long MaxMessageSize { get; }

    public virtual async Task InitializeAsync()
    {
        DataPath = Path.Combine(Path.GetTempPath(), "rampart-store-" + Guid.NewGuid().ToString("N"));
        Store = await OpenAsync();
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var store in opened)
        {
            await store.DisposeAsync();
        }

        if (Directory.Exists(DataPath))
        {
            Directory.Delete(DataPath, recursive: true);
        }
    }

    /// <summary>Opens another store on the same directory; disposed at the end of the test.</summary>
    protected async Task<IMailStore> OpenAsync()
    {
        var store = await CreateStoreAsync(DataPath);
        opened.Add(store);
        return store;
    }

    /// <summary>Disposes <see cref="Store"/> and opens it again on the same data.</summary>
    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        opened.Remove(Store);
        Store = await OpenAsync();
    }

    protected static byte[] Message(
        string subject = "Hello",
        string body = "Just a test.",
        string from = "Alice Example <alice@example.com>",
        string to = "Bob <bob@example.org>",
        string date = "Mon, 7 Feb 1994 21:52:25 -0800",
        string extraHeaders = "")
    {
        var text =
            $"From: {from}\r\n" +
            $"To: {to}\r\n" +
            $"Subject: {subject}\r\n" +
            $"Date: {date}\r\n" +
            $"Message-ID: <{Guid.NewGuid():N}@example.com>\r\n" +
            extraHeaders +
            "MIME-Version: 1.0\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "\r\n" +
            body + "\r\n";
        return Encoding.UTF8.GetBytes(text);
    }

    protected async Task<IAccountStore> NewAccountAsync(string name = "alice", params string[] addresses)
    {
        await Store.CreateAccountAsync(name, addresses.Length == 0 ? [$"{name}@example.com"] : addresses);
        return await Store.OpenAccountAsync(name);
    }

    protected static async Task<AppendResult> AppendAsync(IAccountStore account, byte[] message, string mailbox = "INBOX", MessageFlags? flags = null, DateTimeOffset? date = null)
    {
        using var stream = new MemoryStream(message);
        return await account.AppendAsync(mailbox, stream, flags ?? MessageFlags.Empty, date);
    }

    protected static async Task<MailboxInfo> MailboxAsync(IAccountStore account, string name) =>
        await account.GetMailboxAsync(name) ?? throw new InvalidOperationException($"no mailbox {name}");

    protected static async Task<StoreError> ErrorOf(Func<Task> action)
    {
        var ex = await Assert.ThrowsAsync<StoreException>(action);
        return ex.Error;
    }

    protected static MessageFlags Flags(SystemFlags system, params string[] keywords) => new(system, keywords);
}
