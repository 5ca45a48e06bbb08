using Rampart.Store.Model;
using Rampart.Store.Quota;

namespace Rampart.Store.Tests.Suite;

/// <summary>Quota limits (RFC 9208 §5): the per-account record, and enforcement in the same write that adds messages.</summary>
public abstract partial class MailStoreSuite
{
    /// <summary>Messages of one exact size (the subject has a fixed width), so a test knows how many fit a limit.</summary>
    protected static byte[] SizedMessage(int n) => Message($"Message {n:D4}", body: new string('q', 900));

    protected async Task SetQuotaAsync(IAccountStore account, long? storageKiB, long? messages) =>
        await AccountQuotaSettings.WriteAsync(Store, account.Account.Id, new AccountQuotaSettings { StorageKiB = storageKiB, Messages = messages }, CancellationToken.None);

    private async Task<DeliveryOutcome> DeliverOneAsync(IMailStore store, string account, byte[] message)
    {
        using var stream = new MemoryStream(message);
        return Assert.Single(await store.DeliverAsync(stream, [new DeliveryTarget(account, null, MessageFlags.Empty)]));
    }

    [Fact]
    public async Task Quota_storage_limit_refuses_the_append_that_would_exceed_it_and_reports_the_limit()
    {
        var account = await NewAccountAsync();
        var size = SizedMessage(0).Length;
        await SetQuotaAsync(account, 4, null);
        var fit = 4096 / size;
        for (var i = 0; i < fit; i++)
        {
            await AppendAsync(account, SizedMessage(i));
        }

        Assert.Equal(StoreError.OverQuota, await ErrorOf(() => AppendAsync(account, SizedMessage(99))));
        var quota = await account.GetQuotaAsync();
        Assert.Equal(4096, quota.StorageLimit);
        Assert.Null(quota.MessageLimit);
        Assert.Equal(fit, quota.MessagesUsed);
        Assert.Equal(fit * size, quota.StorageUsed);

        // A small message still fits where a big one did not: the check is used + size <= limit, not "already over".
        var small = Message("s", body: "x");
        if ((fit * size) + small.Length <= 4096)
        {
            await AppendAsync(account, small);
        }

        // Expunging frees space.
        var inbox = await MailboxAsync(account, "INBOX");
        await account.StoreFlagsAsync(inbox.Id, UidSet.Of(1), new FlagChange(FlagOperation.Add, Flags(SystemFlags.Deleted)));
        await account.ExpungeAsync(inbox.Id);
        await AppendAsync(account, SizedMessage(100));
    }

    [Fact]
    public async Task Quota_message_limit_applies_to_copy_but_not_to_move()
    {
        var account = await NewAccountAsync();
        await SetQuotaAsync(account, null, 3);
        await AppendAsync(account, Message("one"));
        await AppendAsync(account, Message("two"));
        var inbox = await MailboxAsync(account, "INBOX");

        // Two copies would make four messages: the whole COPY is refused, nothing copied.
        Assert.Equal(StoreError.OverQuota, await ErrorOf(() => account.CopyAsync(inbox.Id, UidSet.Of(1, 2), "Archive")));
        Assert.Equal(0, (await MailboxAsync(account, "Archive")).Messages);
        var copied = await account.CopyAsync(inbox.Id, UidSet.Of(1), "Archive");
        Assert.Single(copied.TargetUids);

        // At the limit: MOVE adds nothing to the account, so it still works; APPEND does not.
        var moved = await account.MoveAsync(inbox.Id, UidSet.Of(1, 2), "Trash");
        Assert.Equal(2, moved.TargetUids.Count);
        Assert.Equal(StoreError.OverQuota, await ErrorOf(() => AppendAsync(account, Message("four"))));
        var quota = await account.GetQuotaAsync();
        Assert.Equal(3, quota.MessagesUsed);
        Assert.Equal(3, quota.MessageLimit);
        Assert.Null(quota.StorageLimit);
    }

    [Fact]
    public async Task Quota_delivery_answers_per_target_and_stores_for_the_account_with_room()
    {
        var full = await NewAccountAsync("full");
        var roomy = await NewAccountAsync("roomy");
        await SetQuotaAsync(full, 0, null);
        using var stream = new MemoryStream(Message("to both"));
        var outcomes = await Store.DeliverAsync(stream, [new DeliveryTarget("full", null, MessageFlags.Empty), new DeliveryTarget("roomy", null, MessageFlags.Empty)]);
        Assert.Equal(StoreError.OverQuota, outcomes[0].Error);
        Assert.Null(outcomes[0].Result);
        Assert.Null(outcomes[1].Error);
        Assert.Equal(0, (await full.GetQuotaAsync()).MessagesUsed);
        Assert.Equal(1, (await roomy.GetQuotaAsync()).MessagesUsed);
    }

    [Fact]
    public async Task Quota_concurrent_deliveries_from_two_store_instances_never_exceed_the_limit()
    {
        var account = await NewAccountAsync();
        var size = SizedMessage(0).Length;
        await SetQuotaAsync(account, 8, null);
        var fit = 8192 / size;
        var second = await OpenAsync();

        // Three times what fits, half through each instance (two processes sharing the data), all at once.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, fit * 3).Select(i =>
            Task.Run(() => DeliverOneAsync(i % 2 == 0 ? Store : second, "alice", SizedMessage(i)))));
        Assert.Equal(fit, outcomes.Count(o => o.Error is null));
        Assert.All(outcomes.Where(o => o.Error is not null), o => Assert.Equal(StoreError.OverQuota, o.Error));
        var quota = await account.GetQuotaAsync();
        Assert.Equal(fit, quota.MessagesUsed);
        Assert.True(quota.StorageUsed <= 8192, $"{quota.StorageUsed} octets stored under an 8 KiB limit");
    }

    [Fact]
    public async Task Quota_settings_record_round_trips_and_defaults_remove_it()
    {
        var account = await NewAccountAsync();
        var id = account.Account.Id;
        Assert.Equal(AccountQuotaSettings.Default, await AccountQuotaSettings.ReadAsync(Store, id, CancellationToken.None));
        var settings = new AccountQuotaSettings { StorageKiB = 512000, Messages = AccountQuotaSettings.Unlimited };
        await AccountQuotaSettings.WriteAsync(Store, id, settings, CancellationToken.None);
        Assert.Equal(settings, await AccountQuotaSettings.ReadAsync(Store, id, CancellationToken.None));
        Assert.Equal(new QuotaLimits(512000, null), settings.Over(new QuotaLimits(100, 1000)));
        Assert.Equal(new QuotaLimits(100, 1000), AccountQuotaSettings.Default.Over(new QuotaLimits(100, 1000)));

        await AccountQuotaSettings.WriteAsync(Store, id, AccountQuotaSettings.Default, CancellationToken.None);
        Assert.Null(await Store.GetSecretAsync(id, AccountQuotaSettings.RecordKind));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            AccountQuotaSettings.WriteAsync(Store, id, new AccountQuotaSettings { Messages = -2 }, CancellationToken.None));

        // A record a newer or broken writer left behind does not take the account's mail away: defaults apply.
        await Store.SetSecretAsync(id, AccountQuotaSettings.RecordKind, "{not json");
        Assert.Equal(AccountQuotaSettings.Default, await AccountQuotaSettings.ReadAsync(Store, id, CancellationToken.None));
        await AppendAsync(account, Message());
    }
}
