using Rampart.Store.Model;
using Rampart.Store.Quota;

namespace Rampart.Store.Sqlite.Tests;

/// <summary>The server's default quota (<see cref="SqliteStoreOptions.DefaultQuota"/>) and an account's own record over it.</summary>
public sealed class SqliteDefaultQuotaTests : IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "rampart-quota-" + Guid.NewGuid().ToString("N"));
    private SqliteMailStore store = null!;

    public async Task InitializeAsync() =>
        store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = directory, DefaultQuota = new QuotaLimits(null, 1) });

    public async Task DisposeAsync()
    {
        await store.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Default_applies_until_the_account_has_its_own_limit_or_unlimited()
    {
        var account = await store.CreateAccountAsync("alice", ["alice@example.com"]);
        await using var view = await store.OpenAccountAsync("alice");
        await AppendAsync(view, "one");
        var refused = await Assert.ThrowsAsync<StoreException>(() => AppendAsync(view, "two"));
        Assert.Equal(StoreError.OverQuota, refused.Error);
        Assert.Equal(1, (await view.GetQuotaAsync()).MessageLimit);

        await AccountQuotaSettings.WriteAsync(store, account.Id, new AccountQuotaSettings { Messages = AccountQuotaSettings.Unlimited }, CancellationToken.None);
        await AppendAsync(view, "two");
        var quota = await view.GetQuotaAsync();
        Assert.Null(quota.MessageLimit);
        Assert.Null(quota.StorageLimit);
        Assert.Equal(2, quota.MessagesUsed);
    }

    private static async Task AppendAsync(IAccountStore view, string subject)
    {
        using var stream = new MemoryStream(System.Text.Encoding.ASCII.GetBytes($"Subject: {subject}\r\n\r\nbody\r\n"));
        await view.AppendAsync("INBOX", stream, MessageFlags.Empty);
    }
}
