using Rampart.Store.Model;

namespace Rampart.Store.Tests.Suite;

/// <summary>Opening a message from its summary (<see cref="IAccountStore.OpenMessageAsync(long, MessageSummary, CancellationToken)"/>):
/// the right bytes without a lookup, never another account's, and NotFound once the bytes are gone.</summary>
public abstract partial class MailStoreSuite
{
    /// <summary>Removes the stored bytes no message refers to any more, at once (no grace period), as the backend's
    /// periodic collection would later.</summary>
    protected abstract Task CollectUnreferencedContentAsync();

    [Fact]
    public async Task Open_by_summary_reads_each_messages_own_bytes()
    {
        var account = await NewAccountAsync();
        byte[][] raws = [Message("one"), Message("two", body: "A longer body.\r\n.\r\nwith a dot line"), Message("three")];
        foreach (var raw in raws)
        {
            await AppendAsync(account, raw);
        }

        var inbox = await MailboxAsync(account, "INBOX");
        var summaries = await account.FetchAsync(inbox.Id, UidSet.All);
        Assert.Equal(raws.Length, summaries.Count);
        for (var i = 0; i < raws.Length; i++)
        {
            Assert.Equal(raws[i], await ReadAllAsync(await account.OpenMessageAsync(inbox.Id, summaries[i])));
        }

        // Another handle on the same account (another session) may use the summaries too.
        var other = await Store.OpenAccountAsync("alice");
        Assert.Equal(raws[1], await ReadAllAsync(await other.OpenMessageAsync(inbox.Id, summaries[1])));
    }

    [Fact]
    public async Task A_summary_never_opens_another_accounts_message()
    {
        var alice = await NewAccountAsync("alice");
        var bob = await NewAccountAsync("bob");
        var aliceRaw = Message("for alice only");
        var bobRaw = Message("for bob");
        await AppendAsync(alice, aliceRaw);
        await AppendAsync(alice, Message("alice's second"));
        await AppendAsync(bob, bobRaw);
        var aliceInbox = await MailboxAsync(alice, "INBOX");
        var bobInbox = await MailboxAsync(bob, "INBOX");
        var aliceSummaries = await alice.FetchAsync(aliceInbox.Id, UidSet.All);

        // Bob's handle given Alice's summary finds by UID in Bob's own mailbox: his message 1, and nothing for 2.
        Assert.Equal(bobRaw, await ReadAllAsync(await bob.OpenMessageAsync(bobInbox.Id, aliceSummaries[0])));
        Assert.Equal(StoreError.NotFound, await ErrorOf(() => bob.OpenMessageAsync(bobInbox.Id, aliceSummaries[1])));

        // A summary the caller made, naming Alice's blob, is no key either.
        var forged = new MessageSummary(
            7, 1, MessageFlags.Empty, DateTimeOffset.UnixEpoch, aliceRaw.Length, aliceSummaries[0].BlobId, DateTimeOffset.UnixEpoch, aliceSummaries[0].EmailId);
        Assert.Equal(StoreError.NotFound, await ErrorOf(() => bob.OpenMessageAsync(bobInbox.Id, forged)));
        Assert.Equal(StoreError.NotFound, await ErrorOf(() => bob.OpenMessageAsync(bobInbox.Id, forged with { Uid = 2 })));
    }

    [Fact]
    public async Task A_summary_read_before_a_reopen_still_opens_its_message()
    {
        var account = await NewAccountAsync();
        var raw = Message("kept");
        await AppendAsync(account, raw);
        var inbox = await MailboxAsync(account, "INBOX");
        var summary = Assert.Single(await account.FetchAsync(inbox.Id, UidSet.All));
        await ReopenAsync();
        var again = await Store.OpenAccountAsync("alice");
        Assert.Equal(raw, await ReadAllAsync(await again.OpenMessageAsync(inbox.Id, summary)));
    }

    [Fact]
    public async Task An_expunged_message_whose_bytes_were_collected_is_not_found_by_summary()
    {
        var account = await NewAccountAsync();
        await AppendAsync(account, Message("goes away"));
        var keptRaw = Message("stays");
        await AppendAsync(account, keptRaw);
        var inbox = await MailboxAsync(account, "INBOX");
        var summaries = await account.FetchAsync(inbox.Id, UidSet.All);

        // Another session expunges message 1; its bytes are then collected.
        var other = await Store.OpenAccountAsync("alice");
        await other.StoreFlagsAsync(inbox.Id, UidSet.Of(summaries[0].Uid), new FlagChange(FlagOperation.Add, Flags(SystemFlags.Deleted)));
        await other.ExpungeAsync(inbox.Id);
        await CollectUnreferencedContentAsync();

        Assert.Equal(StoreError.NotFound, await ErrorOf(() => account.OpenMessageAsync(inbox.Id, summaries[0])));
        Assert.Equal(keptRaw, await ReadAllAsync(await account.OpenMessageAsync(inbox.Id, summaries[1])));
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }
}
