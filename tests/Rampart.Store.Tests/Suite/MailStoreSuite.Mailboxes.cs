using System.Text;
using Rampart.Store.Model;

namespace Rampart.Store.Tests.Suite;

public abstract partial class MailStoreSuite
{
    [Fact]
    public async Task Create_makes_missing_parents_and_refuses_duplicates()
    {
        var account = await NewAccountAsync();
        var created = await account.CreateMailboxAsync("Projects/2026/Rampart");
        Assert.Equal("Projects/2026/Rampart", created.Name);
        Assert.NotNull(await account.GetMailboxAsync("Projects"));
        Assert.NotNull(await account.GetMailboxAsync("Projects/2026"));
        Assert.Equal(StoreError.AlreadyExists, await ErrorOf(() => account.CreateMailboxAsync("Projects/2026")));
        Assert.Equal(StoreError.AlreadyExists, await ErrorOf(() => account.CreateMailboxAsync("inbox")));
        var special = await account.CreateMailboxAsync("Everything", SpecialUse.All);
        Assert.Equal(SpecialUse.All, special.SpecialUse);
        Assert.False(special.Subscribed);
    }

    [Fact]
    public async Task Inbox_is_case_insensitive_other_names_are_not()
    {
        var account = await NewAccountAsync();
        Assert.Equal("INBOX", (await account.GetMailboxAsync("InBoX"))?.Name);
        var child = await account.CreateMailboxAsync("inbox/Child");
        Assert.Equal("INBOX/Child", child.Name);
        await account.CreateMailboxAsync("work");
        await account.CreateMailboxAsync("Work");
        Assert.NotEqual((await MailboxAsync(account, "work")).Id, (await MailboxAsync(account, "Work")).Id);
        Assert.Equal("Grüße/日本", (await account.CreateMailboxAsync("Grüße/日本")).Name);
    }

    public static TheoryData<string> BadMailboxNames() =>
    [
        "",
        "/",
        "/leading",
        "trailing/",
        "a//b",
        "a/./b",
        "../etc",
        "a/..",
        "with%percent",
        "with*star",
        "tab\there",
        "nul\0",
        "line\r\nbreak",
        "del\u007f",
        " ",
        "a/ /b",
        new string('x', 1001),
        string.Concat(Enumerable.Repeat("é", 501)),
    ];

    [Theory]
    [MemberData(nameof(BadMailboxNames))]
    public async Task Bad_mailbox_names_are_refused(string name)
    {
        var account = await NewAccountAsync();
        var before = (await account.ListMailboxesAsync()).Count;
        Assert.Equal(StoreError.InvalidName, await ErrorOf(() => account.CreateMailboxAsync(name)));
        Assert.Equal(StoreError.InvalidName, await ErrorOf(() => account.RenameMailboxAsync("Sent", name)));
        Assert.Equal(StoreError.InvalidName, await ErrorOf(() => account.SetSubscribedAsync(name, true)));
        Assert.Equal(before, (await account.ListMailboxesAsync()).Count);
    }

    [Fact]
    public async Task A_name_with_a_lone_surrogate_is_refused()
    {
        // Not in the theory above: test runners re-encode lone surrogates in theory data.
        var account = await NewAccountAsync();
        Assert.Equal(StoreError.InvalidName, await ErrorOf(() => account.CreateMailboxAsync("bad\ud800surrogate")));
    }

    [Fact]
    public async Task A_name_of_exactly_1000_octets_is_accepted()
    {
        var account = await NewAccountAsync();
        var name = string.Concat(Enumerable.Repeat("é", 500));
        Assert.Equal(1000, Encoding.UTF8.GetByteCount(name));
        Assert.Equal(name, (await account.CreateMailboxAsync(name)).Name);
    }

    [Fact]
    public async Task Rename_moves_children_and_subscriptions_and_keeps_ids_and_messages()
    {
        var account = await NewAccountAsync();
        var parent = await account.CreateMailboxAsync("a");
        var child = await account.CreateMailboxAsync("a/b/c");
        await account.CreateMailboxAsync("ab");
        await account.SetSubscribedAsync("a/b/c", true);
        await AppendAsync(account, Message(), "a/b/c");
        await account.RenameMailboxAsync("a", "x/y");
        var names = (await account.ListMailboxesAsync()).Select(b => b.Name).ToHashSet();
        Assert.Contains("x", names);
        Assert.Contains("x/y", names);
        Assert.Contains("x/y/b", names);
        Assert.Contains("x/y/b/c", names);
        Assert.Contains("ab", names);
        Assert.DoesNotContain("a", names);
        Assert.DoesNotContain("a/b/c", names);
        var moved = await MailboxAsync(account, "x/y/b/c");
        Assert.Equal(child.Id, moved.Id);
        Assert.Equal(child.UidValidity, moved.UidValidity);
        Assert.Equal(1, moved.Messages);
        Assert.True(moved.Subscribed);
        Assert.Equal(parent.Id, (await MailboxAsync(account, "x/y")).Id);
        Assert.DoesNotContain("a/b/c", await account.ListSubscriptionsAsync());
    }

    [Fact]
    public async Task Rename_refuses_missing_source_taken_target_and_renaming_into_itself()
    {
        var account = await NewAccountAsync();
        await account.CreateMailboxAsync("a/b");
        Assert.Equal(StoreError.NotFound, await ErrorOf(() => account.RenameMailboxAsync("nope", "other")));
        Assert.Equal(StoreError.AlreadyExists, await ErrorOf(() => account.RenameMailboxAsync("a", "Sent")));
        Assert.Equal(StoreError.InvalidName, await ErrorOf(() => account.RenameMailboxAsync("a", "a/b/c")));
        Assert.Equal(StoreError.InvalidName, await ErrorOf(() => account.RenameMailboxAsync("Sent", "INBOX")));
        Assert.NotNull(await account.GetMailboxAsync("a/b"));
    }

    [Fact]
    public async Task Renaming_inbox_moves_its_messages_to_a_new_mailbox_and_leaves_inbox_empty()
    {
        var account = await NewAccountAsync();
        var inboxBefore = await MailboxAsync(account, "INBOX");
        await AppendAsync(account, Message("one"));
        await AppendAsync(account, Message("two"), flags: Flags(SystemFlags.Seen, "$Work"));
        await account.CreateMailboxAsync("INBOX/kept");
        await account.RenameMailboxAsync("INBOX", "Old mail");
        var inbox = await MailboxAsync(account, "INBOX");
        var old = await MailboxAsync(account, "Old mail");
        Assert.Equal(inboxBefore.Id, inbox.Id);
        Assert.Equal(0, inbox.Messages);
        Assert.Equal(inboxBefore.UidValidity, inbox.UidValidity);
        Assert.Equal(3u, inbox.UidNext);
        Assert.Equal(2, old.Messages);
        Assert.NotEqual(inbox.UidValidity, old.UidValidity);
        Assert.NotNull(await account.GetMailboxAsync("INBOX/kept"));
        var summaries = await account.FetchAsync(old.Id, UidSet.All);
        Assert.Equal(["$Work"], summaries[1].Flags.Keywords);
        Assert.Equal([1u, 2u], await account.ExpungedSinceAsync(inbox.Id, inboxBefore.HighestModSeq));
        // New mail to INBOX continues after the moved UIDs.
        Assert.Equal(3u, (await AppendAsync(account, Message("three"))).Uid);
    }

    [Fact]
    public async Task Delete_refuses_inbox_children_and_missing_mailboxes()
    {
        var account = await NewAccountAsync();
        await account.CreateMailboxAsync("a/b");
        Assert.Equal(StoreError.NotAllowed, await ErrorOf(() => account.DeleteMailboxAsync("inbox")));
        Assert.Equal(StoreError.HasChildren, await ErrorOf(() => account.DeleteMailboxAsync("a")));
        Assert.Equal(StoreError.NotFound, await ErrorOf(() => account.DeleteMailboxAsync("zzz")));
        await AppendAsync(account, Message(), "a/b");
        await account.DeleteMailboxAsync("a/b");
        await account.DeleteMailboxAsync("a");
        Assert.Null(await account.GetMailboxAsync("a"));
        Assert.Equal(0, (await account.GetQuotaAsync()).MessagesUsed);
    }

    [Fact]
    public async Task Uidvalidity_differs_after_delete_and_recreate()
    {
        var account = await NewAccountAsync();
        var first = await account.CreateMailboxAsync("box");
        await account.DeleteMailboxAsync("box");
        var second = await account.CreateMailboxAsync("box");
        await account.RenameMailboxAsync("box", "moved");
        var third = await account.CreateMailboxAsync("box");
        Assert.Equal(3, new[] { first.UidValidity, second.UidValidity, third.UidValidity }.Distinct().Count());
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task Subscriptions_need_not_exist_and_survive_delete()
    {
        var account = await NewAccountAsync();
        await account.SetSubscribedAsync("Future/box", true);
        await account.SetSubscribedAsync("Sent", false);
        var subscriptions = await account.ListSubscriptionsAsync();
        Assert.Contains("Future/box", subscriptions);
        Assert.DoesNotContain("Sent", subscriptions);
        Assert.False((await MailboxAsync(account, "Sent")).Subscribed);
        await account.CreateMailboxAsync("temp");
        await account.SetSubscribedAsync("temp", true);
        await account.DeleteMailboxAsync("temp");
        Assert.Contains("temp", await account.ListSubscriptionsAsync());
        await account.SetSubscribedAsync("Future/box", false);
        Assert.DoesNotContain("Future/box", await account.ListSubscriptionsAsync());
    }
}
