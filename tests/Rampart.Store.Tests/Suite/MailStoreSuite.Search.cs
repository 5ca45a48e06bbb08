using Rampart.Store.Model;
using Rampart.Store.Search;

namespace Rampart.Store.Tests.Suite;

public abstract partial class MailStoreSuite
{
    /// <summary>Four messages with distinct headers, bodies, dates, sizes and flags; returns the account and INBOX id.</summary>
    private async Task<(IAccountStore Account, long Inbox)> SearchFixtureAsync()
    {
        var account = await NewAccountAsync();
        var inbox = (await MailboxAsync(account, "INBOX")).Id;
        await AppendAsync(account, Message("Quarterly report", "The numbers are in the attachment.", "Carol Finance <carol@corp.example>", "team@corp.example", "Tue, 1 Apr 2025 09:00:00 +0000", "X-Priority: 1\r\n"),
            flags: Flags(SystemFlags.Seen, "$Important"), date: new DateTimeOffset(2025, 4, 1, 23, 30, 0, TimeSpan.FromHours(-7)));
        await AppendAsync(account, Message("Lunch?", "Pizza or sushi at noon? xy", "dave@friends.example", "alice@example.com", "Wed, 2 Apr 2025 12:00:00 +0200", "Cc: eve@friends.example\r\n"),
            flags: Flags(SystemFlags.Flagged), date: new DateTimeOffset(2025, 4, 2, 1, 0, 0, TimeSpan.Zero));
        await AppendAsync(account, Message("Grüße aus Köln", "Schöne GRÜSSE und viele Grüße", "frank@de.example", "alice@example.com", "Thu, 3 Apr 2025 08:00:00 +0100", "Bcc: hidden@example.com\r\n"),
            flags: Flags(SystemFlags.Answered | SystemFlags.Seen), date: new DateTimeOffset(2025, 4, 3, 8, 0, 0, TimeSpan.FromHours(1)));
        await AppendAsync(account, Message("Re: Quarterly report", new string('p', 5000) + " numbers", "carol@corp.example", "alice@example.com", "Fri, 4 Apr 2025 10:00:00 -0500"),
            flags: Flags(SystemFlags.Deleted, "$important"), date: DateTimeOffset.UtcNow.AddMinutes(-10));
        return (account, inbox);
    }

    private static async Task<uint[]> Search(IAccountStore account, long inbox, SearchKey key) => [.. await account.SearchAsync(inbox, key)];

    private static async Task Expect(IAccountStore account, long inbox, SearchKey key, params uint[] expected)
    {
        var actual = await Search(account, inbox, key);
        Assert.True(expected.SequenceEqual(actual), $"{key}: expected [{string.Join(',', expected)}], got [{string.Join(',', actual)}]");
    }

    [Fact]
    public async Task Search_by_flags_keywords_uids_and_sizes()
    {
        var (account, inbox) = await SearchFixtureAsync();
        await Expect(account, inbox, SearchKey.All, 1u, 2u, 3u, 4u);
        await Expect(account, inbox, new FlagKey(SystemFlags.Seen, true), 1u, 3u);
        await Expect(account, inbox, new FlagKey(SystemFlags.Seen, false), 2u, 4u);
        await Expect(account, inbox, new FlagKey(SystemFlags.Deleted, true), 4u);
        await Expect(account, inbox, new KeywordKey("$IMPORTANT", true), 1u, 4u);
        await Expect(account, inbox, new KeywordKey("$important", false), 2u, 3u);
        Assert.Empty(await Search(account, inbox, new KeywordKey("never-used", true)));
        await Expect(account, inbox, new UidKey(UidSet.Range(2, 3)), 2u, 3u);
        await Expect(account, inbox, new SizeKey(true, 4000), 4u);
        await Expect(account, inbox, new SizeKey(false, 4000), 1u, 2u, 3u);
        var many = UidSet.FromRanges(Enumerable.Range(0, 200).Select(i => ((uint)(i * 2) + 1, (uint)(i * 2) + 1)));
        await Expect(account, inbox, new UidKey(many), 1u, 3u);
    }

    [Fact]
    public async Task Search_text_and_body_by_substring_case_insensitively()
    {
        var (account, inbox) = await SearchFixtureAsync();
        await Expect(account, inbox, new TextKey(TextScope.Text, "NUMBERS"), 1u, 4u);
        await Expect(account, inbox, new TextKey(TextScope.Body, "umber"), 1u, 4u);
        // Headers are TEXT, not BODY.
        await Expect(account, inbox, new TextKey(TextScope.Text, "quarterly"), 1u, 4u);
        Assert.Empty(await Search(account, inbox, new TextKey(TextScope.Body, "quarterly")));
        await Expect(account, inbox, new TextKey(TextScope.Body, "schöne grüsse"), 3u);
        // A NUL (from a hostile literal) is compared like any other character, never handed to the index as a query.
        Assert.Empty(await Search(account, inbox, new TextKey(TextScope.Text, "num\0bers")));
        Assert.Empty(await Search(account, inbox, new TextKey(TextScope.Body, "pizza \"or\0 sushi")));
        // Shorter than a trigram: answered by scanning.
        await Expect(account, inbox, new TextKey(TextScope.Body, "XY"), 2u);
        await Expect(account, inbox, new TextKey(TextScope.Text, "Kö"), 3u);
        // Quotes and FTS syntax in the value are data, not query syntax.
        Assert.Empty(await Search(account, inbox, new TextKey(TextScope.Text, "\" OR \"a")));
        Assert.Empty(await Search(account, inbox, new TextKey(TextScope.Text, "body_text : NEAR(x y)")));
    }

    [Fact]
    public async Task Search_header_fields()
    {
        var (account, inbox) = await SearchFixtureAsync();
        await Expect(account, inbox, new HeaderKey("FROM", "CAROL@corp"), 1u, 4u);
        await Expect(account, inbox, new HeaderKey("From", "Finance"), 1u);
        await Expect(account, inbox, new HeaderKey("To", "alice@example.com"), 2u, 3u, 4u);
        await Expect(account, inbox, new HeaderKey("Cc", "eve"), 2u);
        await Expect(account, inbox, new HeaderKey("BCC", "hidden"), 3u);
        await Expect(account, inbox, new HeaderKey("Subject", "grüße"), 3u);
        await Expect(account, inbox, new HeaderKey("X-Priority", "1"), 1u);
        await Expect(account, inbox, new HeaderKey("x-priority", string.Empty), 1u);
        await Expect(account, inbox, new HeaderKey("cc", string.Empty), 2u);
        Assert.Empty(await Search(account, inbox, new HeaderKey("X-Missing", string.Empty)));
        await Expect(account, inbox, new HeaderKey("Message-ID", "@example.com"), 1u, 2u, 3u, 4u);
    }

    [Fact]
    public async Task Search_dates_compare_days_in_their_own_zone()
    {
        var (account, inbox) = await SearchFixtureAsync();
        // Message 1's internal date is 2025-04-01 23:30 -07:00 (already April 2 in UTC): it is ON April 1.
        await Expect(account, inbox, new DateKey(DateField.Internal, DateComparison.On, new DateOnly(2025, 4, 1)), 1u);
        await Expect(account, inbox, new DateKey(DateField.Internal, DateComparison.On, new DateOnly(2025, 4, 2)), 2u);
        await Expect(account, inbox, new DateKey(DateField.Internal, DateComparison.Before, new DateOnly(2025, 4, 3)), 1u, 2u);
        await Expect(account, inbox, new DateKey(DateField.Internal, DateComparison.Since, new DateOnly(2025, 4, 3)), 3u, 4u);
        await Expect(account, inbox, new DateKey(DateField.Sent, DateComparison.On, new DateOnly(2025, 4, 2)), 2u);
        await Expect(account, inbox, new DateKey(DateField.Sent, DateComparison.Before, new DateOnly(2025, 4, 3)), 1u, 2u);
        await Expect(account, inbox, new DateKey(DateField.Sent, DateComparison.Since, new DateOnly(2025, 4, 3)), 3u, 4u);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await Expect(account, inbox, new DateKey(DateField.Saved, DateComparison.Since, today.AddDays(-1)), 1u, 2u, 3u, 4u);
        Assert.Empty(await Search(account, inbox, new DateKey(DateField.Saved, DateComparison.Before, today.AddDays(-1))));
        await Expect(account, inbox, new AgeKey(true, 3600), 4u);
        await Expect(account, inbox, new AgeKey(false, 3600), 1u, 2u, 3u);
    }

    [Fact]
    public async Task Search_modseq_emailid_and_nested_logic()
    {
        var (account, inbox) = await SearchFixtureAsync();
        var summaries = await account.FetchAsync(inbox, UidSet.All);
        await Expect(account, inbox, new ModSeqKey(summaries[2].ModSeq), 3u, 4u);
        await Expect(account, inbox, new EmailIdKey(summaries[1].EmailId), 2u);
        var nested = new AndKey(
        [
            new OrKey(new FlagKey(SystemFlags.Seen, true), new KeywordKey("$Important", true)),
            new NotKey(new FlagKey(SystemFlags.Deleted, true)),
            new NotKey(new OrKey(new HeaderKey("Subject", "Köln"), new SizeKey(true, 100_000))),
        ]);
        await Expect(account, inbox, nested, 1u);
        await Expect(account, inbox, new AndKey([]), 1u, 2u, 3u, 4u);
    }

    [Fact]
    public async Task Search_nested_beyond_the_limit_is_refused_not_crashed()
    {
        // SECURITY.md M08: 10,000-deep NOT and OR trees.
        var (account, inbox) = await SearchFixtureAsync();
        SearchKey deepNot = SearchKey.All;
        SearchKey deepOr = SearchKey.All;
        for (var i = 0; i < 10_000; i++)
        {
            deepNot = new NotKey(deepNot);
            deepOr = new OrKey(deepOr, new FlagKey(SystemFlags.Seen, true));
        }

        Assert.Equal(StoreError.TooComplex, await ErrorOf(() => account.SearchAsync(inbox, deepNot)));
        Assert.Equal(StoreError.TooComplex, await ErrorOf(() => account.SearchAsync(inbox, deepOr)));
        SearchKey fine = SearchKey.All;
        for (var i = 0; i < 20; i++)
        {
            fine = new NotKey(new NotKey(fine));
        }

        await Expect(account, inbox, fine, 1u, 2u, 3u, 4u);
    }

    [Fact]
    public async Task Search_in_a_missing_mailbox_fails_with_not_found()
    {
        var account = await NewAccountAsync();
        Assert.Equal(StoreError.NotFound, await ErrorOf(() => account.SearchAsync(987654, SearchKey.All)));
    }
}
