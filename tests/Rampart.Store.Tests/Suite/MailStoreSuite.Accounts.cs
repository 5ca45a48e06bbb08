using Rampart.Store.Model;

namespace Rampart.Store.Tests.Suite;

public abstract partial class MailStoreSuite
{
    [Fact]
    public async Task New_account_has_the_default_mailboxes_subscribed_with_special_use()
    {
        var account = await NewAccountAsync("alice");
        var boxes = await account.ListMailboxesAsync();
        var byName = boxes.ToDictionary(b => b.Name);
        Assert.Equal(["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"], byName.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(SpecialUse.Sent, byName["Sent"].SpecialUse);
        Assert.Equal(SpecialUse.Drafts, byName["Drafts"].SpecialUse);
        Assert.Equal(SpecialUse.Trash, byName["Trash"].SpecialUse);
        Assert.Equal(SpecialUse.Junk, byName["Junk"].SpecialUse);
        Assert.Equal(SpecialUse.Archive, byName["Archive"].SpecialUse);
        Assert.All(boxes, b => Assert.True(b.Subscribed));
        Assert.All(boxes, b => Assert.Equal(1u, b.UidNext));
        Assert.Equal(boxes.Count, boxes.Select(b => b.UidValidity).Distinct().Count());
        Assert.Equal(6, (await account.ListSubscriptionsAsync()).Count);
    }

    [Fact]
    public async Task Accounts_are_found_by_name_case_insensitively_and_by_address()
    {
        var created = await Store.CreateAccountAsync("Alice.Smith", ["Alice@Example.COM", "alias@example.com"]);
        Assert.Equal(["alias@example.com", "alice@example.com"], created.Addresses.Order(StringComparer.Ordinal));
        Assert.True(created.Enabled);
        Assert.Equal(created.Id, (await Store.FindAccountAsync("alice.smith"))?.Id);
        Assert.Equal(created.Id, (await Store.FindAccountAsync("ALICE@example.com"))?.Id);
        Assert.Equal(created.Id, (await Store.FindAccountAsync("alias@example.com"))?.Id);
        Assert.Null(await Store.FindAccountAsync("bob"));
        Assert.Single(await Store.ListAccountsAsync());
    }

    [Fact]
    public async Task Duplicate_names_and_addresses_are_refused()
    {
        await Store.CreateAccountAsync("alice", ["alice@example.com"]);
        Assert.Equal(StoreError.AlreadyExists, await ErrorOf(() => Store.CreateAccountAsync("ALICE", ["other@example.com"])));
        Assert.Equal(StoreError.AlreadyExists, await ErrorOf(() => Store.CreateAccountAsync("bob", ["Alice@Example.com"])));
        Assert.Null(await Store.FindAccountAsync("bob"));
        await Store.CreateAccountAsync("bob", ["bob@example.com"]);
        Assert.Equal(StoreError.AlreadyExists, await ErrorOf(() => Store.AddAddressAsync("bob", "alice@example.com")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("alice/..")]
    [InlineData("al\u0000ice")]
    [InlineData("al\r\nice")]
    [InlineData("ålice")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Bad_account_names_are_refused(string name)
    {
        Assert.Equal(StoreError.InvalidName, await ErrorOf(() => Store.CreateAccountAsync(name, [])));
        Assert.Empty(await Store.ListAccountsAsync());
    }

    [Fact]
    public async Task Account_names_may_use_the_allowed_punctuation()
    {
        var account = await Store.CreateAccountAsync("a.b_c-d+e@f", []);
        Assert.Equal("a.b_c-d+e@f", account.Name);
    }

    [Fact]
    public async Task Aliases_are_added_and_removed()
    {
        await Store.CreateAccountAsync("alice", ["alice@example.com"]);
        await Store.AddAddressAsync("alice", "Postmaster@Example.com");
        Assert.Equal("alice", (await Store.FindAccountAsync("postmaster@example.com"))?.Name);
        await Store.RemoveAddressAsync("alice", "postmaster@example.com");
        Assert.Null(await Store.FindAccountAsync("postmaster@example.com"));
        Assert.Equal(StoreError.NotFound, await ErrorOf(() => Store.RemoveAddressAsync("alice", "nobody@example.com")));
        Assert.Equal(StoreError.NotFound, await ErrorOf(() => Store.AddAddressAsync("ghost", "g@example.com")));
        Assert.Equal(StoreError.InvalidName, await ErrorOf(() => Store.AddAddressAsync("alice", "no spaces@example.com")));
    }

    [Fact]
    public async Task Disabled_accounts_are_still_found_but_refuse_delivery()
    {
        await Store.CreateAccountAsync("alice", ["alice@example.com"]);
        await Store.SetAccountEnabledAsync("alice", false);
        var found = await Store.FindAccountAsync("alice@example.com");
        Assert.NotNull(found);
        Assert.False(found.Enabled);
        using var stream = new MemoryStream(Message());
        var outcome = Assert.Single(await Store.DeliverAsync(stream, [new DeliveryTarget("alice", null, MessageFlags.Empty)]));
        Assert.Equal(StoreError.Disabled, outcome.Error);
        Assert.Null(outcome.Result);
        await Store.SetAccountEnabledAsync("alice", true);
        Assert.True((await Store.FindAccountAsync("alice"))!.Enabled);
        Assert.Equal(StoreError.NotFound, await ErrorOf(() => Store.SetAccountEnabledAsync("ghost", true)));
    }

    [Fact]
    public async Task Secrets_are_set_replaced_and_removed()
    {
        var alice = await Store.CreateAccountAsync("alice", []);
        var bob = await Store.CreateAccountAsync("bob", []);
        Assert.Null(await Store.GetSecretAsync(alice.Id, "password"));
        await Store.SetSecretAsync(alice.Id, "password", "v1");
        await Store.SetSecretAsync(alice.Id, "password", "v2");
        await Store.SetSecretAsync(alice.Id, "totp", "seed");
        Assert.Equal("v2", await Store.GetSecretAsync(alice.Id, "password"));
        Assert.Equal("seed", await Store.GetSecretAsync(alice.Id, "totp"));
        Assert.Null(await Store.GetSecretAsync(bob.Id, "password"));
        await Store.SetSecretAsync(alice.Id, "password", null);
        Assert.Null(await Store.GetSecretAsync(alice.Id, "password"));
        Assert.Equal(StoreError.NotFound, await ErrorOf(() => Store.SetSecretAsync(alice.Id + 1000, "password", "x")));
    }

    [Fact]
    public async Task Deleting_an_account_removes_it_its_addresses_and_secrets()
    {
        var alice = await Store.CreateAccountAsync("alice", ["alice@example.com"]);
        await Store.SetSecretAsync(alice.Id, "password", "x");
        var inbox = await Store.OpenAccountAsync("alice");
        await AppendAsync(inbox, Message());
        await Store.DeleteAccountAsync("alice");
        Assert.Null(await Store.FindAccountAsync("alice"));
        Assert.Null(await Store.FindAccountAsync("alice@example.com"));
        Assert.Null(await Store.GetSecretAsync(alice.Id, "password"));
        Assert.Equal(StoreError.NotFound, await ErrorOf(() => Store.OpenAccountAsync("alice")));
        Assert.Equal(StoreError.NotFound, await ErrorOf(() => Store.DeleteAccountAsync("alice")));

        // The name and address are free again; the new account starts empty.
        await Store.CreateAccountAsync("alice", ["alice@example.com"]);
        var fresh = await Store.OpenAccountAsync("alice");
        Assert.Equal(0, (await MailboxAsync(fresh, "INBOX")).Messages);
    }
}
