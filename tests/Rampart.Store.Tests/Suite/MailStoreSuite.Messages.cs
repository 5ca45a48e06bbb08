using System.Text;
using Rampart.Store.Model;

namespace Rampart.Store.Tests.Suite;

public abstract partial class MailStoreSuite
{
    [Fact]
    public async Task Append_stores_the_bytes_exactly_with_flags_and_internal_date_zone()
    {
        var account = await NewAccountAsync();
        // Bare LF, trailing spaces and 8-bit bytes must survive untouched.
        var raw = Encoding.UTF8.GetBytes("Subject: exact  \r\nFrom: a@b\nX-8bit: Grüße\r\n\r\nbody\r\nno final newline");
        var date = new DateTimeOffset(2024, 3, 9, 23, 30, 15, TimeSpan.FromHours(-5));
        var result = await AppendAsync(account, raw, "Drafts", Flags(SystemFlags.Draft | SystemFlags.Seen, "$Label1", "Work"), date);
        Assert.Equal(1u, result.Uid);
        Assert.Equal(raw.Length, result.Size);
        Assert.Matches("^[0-9a-f]{64}$", result.BlobId);
        var drafts = await MailboxAsync(account, "Drafts");
        Assert.Equal(drafts.Id, result.MailboxId);
        Assert.Equal(drafts.UidValidity, result.UidValidity);
        Assert.Equal(2u, drafts.UidNext);
        Assert.Equal(result.ModSeq, drafts.HighestModSeq);
        Assert.Equal(raw.Length, drafts.Size);
        Assert.Equal(0, drafts.Unseen);

        await using (var stream = await account.OpenMessageAsync(drafts.Id, 1))
        {
            Assert.True(stream.CanSeek);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(raw, copy.ToArray());
        }

        var summary = Assert.Single(await account.FetchAsync(drafts.Id, UidSet.All));
        Assert.Equal(date, summary.InternalDate);
        Assert.Equal(date.Offset, summary.InternalDate.Offset);
        Assert.Equal(raw.Length, summary.Size);
        Assert.Equal(SystemFlags.Draft | SystemFlags.Seen, summary.Flags.System);
        Assert.Equal(["$Label1", "Work"], summary.Flags.Keywords.Order(StringComparer.Ordinal));
        Assert.Equal(result.BlobId, summary.BlobId);
        Assert.False(string.IsNullOrEmpty(summary.EmailId));
        Assert.True(summary.SaveDate > DateTimeOffset.UtcNow.AddMinutes(-5));
        var metadata = await account.GetMetadataAsync(drafts.Id, 1);
        Assert.Equal("exact", metadata.Fields.Subject.Trim());
    }

    [Fact]
    public async Task Append_to_a_missing_mailbox_fails_with_not_found()
    {
        var account = await NewAccountAsync();
        Assert.Equal(StoreError.NotFound, await ErrorOf(() => AppendAsync(account, Message(), "Nope")));
        Assert.Equal(0, (await account.GetQuotaAsync()).MessagesUsed);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_refused_and_leaves_nothing()
    {
        var account = await NewAccountAsync();
        var big = new byte[MaxMessageSize + 1];
        Array.Fill(big, (byte)'x');
        Assert.Equal(StoreError.TooBig, await ErrorOf(() => AppendAsync(account, big)));
        var exact = new byte[MaxMessageSize];
        Array.Fill(exact, (byte)'y');
        Assert.Equal(MaxMessageSize, (await AppendAsync(account, exact)).Size);
        Assert.Equal(1, (await MailboxAsync(account, "INBOX")).Messages);
        using var stream = new MemoryStream(big);
        var outcome = Assert.Single(await Store.DeliverAsync(stream, [new DeliveryTarget("alice", null, MessageFlags.Empty)]));
        Assert.Equal(StoreError.TooBig, outcome.Error);
    }

    [Fact]
    public async Task Deliver_reports_each_target_on_its_own()
    {
        await NewAccountAsync("alice");
        await NewAccountAsync("bob");
        await NewAccountAsync("carol");
        using var stream = new MemoryStream(Message());
        var outcomes = await Store.DeliverAsync(stream,
        [
            new DeliveryTarget("alice", null, MessageFlags.Empty),
            new DeliveryTarget("bob", "Junk", Flags(SystemFlags.Seen, "$Junk")),
            new DeliveryTarget("carol", "Missing", MessageFlags.Empty),
            new DeliveryTarget("nobody", null, MessageFlags.Empty),
        ], new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)));
        Assert.NotNull(outcomes[0].Result);
        Assert.NotNull(outcomes[1].Result);
        Assert.Equal(StoreError.NotFound, outcomes[2].Error);
        Assert.Equal(StoreError.NotFound, outcomes[3].Error);
        Assert.Equal(outcomes[0].Result!.BlobId, outcomes[1].Result!.BlobId);
        var bob = await Store.OpenAccountAsync("bob");
        var junk = await MailboxAsync(bob, "Junk");
        var summary = Assert.Single(await bob.FetchAsync(junk.Id, UidSet.All));
        Assert.Equal(["$Junk"], summary.Flags.Keywords);
        Assert.Equal(TimeSpan.FromHours(2), summary.InternalDate.Offset);
        var alice = await Store.OpenAccountAsync("alice");
        Assert.NotEqual(summary.EmailId, Assert.Single(await alice.FetchAsync((await MailboxAsync(alice, "INBOX")).Id, UidSet.All)).EmailId);
    }

    [Fact]
    public async Task Copy_and_move_map_uids_ascending_and_move_logs_expunges()
    {
        var account = await NewAccountAsync();
        var inbox = await MailboxAsync(account, "INBOX");
        for (var i = 0; i < 5; i++)
        {
            await AppendAsync(account, Message($"m{i}"), flags: Flags(SystemFlags.Flagged, "k" + i));
        }

        await account.CreateMailboxAsync("Target");
        await AppendAsync(account, Message("existing"), "Target");
        var copy = await account.CopyAsync(inbox.Id, UidSet.Of(4, 2, 5), "Target");
        Assert.Equal([2u, 4u, 5u], copy.SourceUids);
        Assert.Equal([2u, 3u, 4u], copy.TargetUids);
        var target = await MailboxAsync(account, "Target");
        Assert.Equal(target.UidValidity, copy.TargetUidValidity);
        var copied = await account.FetchAsync(target.Id, UidSet.Range(2, 4));
        Assert.Equal(["k1"], copied[0].Flags.Keywords);
        Assert.All(copied, c => Assert.Equal(SystemFlags.Flagged, c.Flags.System));
        var originals = await account.FetchAsync(inbox.Id, UidSet.Of(2, 4, 5));
        Assert.Equal(originals.Select(o => o.BlobId), copied.Select(c => c.BlobId));
        Assert.Equal(originals.Select(o => o.EmailId), copied.Select(c => c.EmailId));
        Assert.Equal(5, (await MailboxAsync(account, "INBOX")).Messages);

        var before = (await MailboxAsync(account, "INBOX")).HighestModSeq;
        var move = await account.MoveAsync(inbox.Id, UidSet.Range(1, 3), "Target");
        Assert.Equal([1u, 2u, 3u], move.SourceUids);
        Assert.Equal([5u, 6u, 7u], move.TargetUids);
        Assert.Equal([4u, 5u], await account.ListUidsAsync(inbox.Id));
        Assert.Equal([1u, 2u, 3u], await account.ExpungedSinceAsync(inbox.Id, before));
        Assert.True((await MailboxAsync(account, "INBOX")).HighestModSeq > before);
        Assert.Equal(7, (await MailboxAsync(account, "Target")).Messages);

        var none = await account.CopyAsync(inbox.Id, UidSet.Of(99), "Target");
        Assert.Empty(none.SourceUids);
        Assert.Equal(StoreError.NotFound, await ErrorOf(() => account.CopyAsync(inbox.Id, UidSet.All, "Nope")));
    }

    [Fact]
    public async Task Store_flags_adds_removes_replaces_and_keywords_are_case_insensitive()
    {
        var account = await NewAccountAsync();
        var inbox = await MailboxAsync(account, "INBOX");
        await AppendAsync(account, Message(), flags: Flags(SystemFlags.None, "$Work"));
        await AppendAsync(account, Message());

        var added = await account.StoreFlagsAsync(inbox.Id, UidSet.All, new FlagChange(FlagOperation.Add, Flags(SystemFlags.Seen, "$WORK", "Later")));
        Assert.Equal(2, added.Changed.Count);
        Assert.Equal(["$Work", "Later"], added.Changed[0].Flags.Keywords.Order(StringComparer.Ordinal));
        Assert.Equal(["$Work", "Later"], added.Changed[1].Flags.Keywords.Order(StringComparer.Ordinal));
        Assert.All(added.Changed, c => Assert.Equal(SystemFlags.Seen, c.Flags.System));

        var removed = await account.StoreFlagsAsync(inbox.Id, UidSet.Of(1), new FlagChange(FlagOperation.Remove, Flags(SystemFlags.None, "$work")));
        Assert.Equal(["Later"], Assert.Single(removed.Changed).Flags.Keywords);

        var replaced = await account.StoreFlagsAsync(inbox.Id, UidSet.Of(2), new FlagChange(FlagOperation.Replace, Flags(SystemFlags.Answered, "Only")));
        var replacedFlags = Assert.Single(replaced.Changed).Flags;
        Assert.Equal(SystemFlags.Answered, replacedFlags.System);
        Assert.Equal(["Only"], replacedFlags.Keywords);
        var fetched = await account.FetchAsync(inbox.Id, UidSet.All);
        Assert.Equal(SystemFlags.Seen, fetched[0].Flags.System);
        Assert.Equal(["Later"], fetched[0].Flags.Keywords);
        Assert.Equal(SystemFlags.Answered, fetched[1].Flags.System);
        Assert.Equal(["Only"], fetched[1].Flags.Keywords);
        Assert.Equal(1, (await MailboxAsync(account, "INBOX")).Unseen);
        Assert.Equal(StoreError.InvalidName, await ErrorOf(() => account.StoreFlagsAsync(inbox.Id, UidSet.All, new FlagChange(FlagOperation.Add, Flags(SystemFlags.None, "bad keyword")))));
    }

    [Fact]
    public async Task Store_flags_without_a_change_keeps_modseq_and_unchangedsince_reports_modified()
    {
        var account = await NewAccountAsync();
        var inbox = await MailboxAsync(account, "INBOX");
        var first = await AppendAsync(account, Message(), flags: Flags(SystemFlags.Seen));
        await AppendAsync(account, Message());
        var highest = (await MailboxAsync(account, "INBOX")).HighestModSeq;

        var noop = await account.StoreFlagsAsync(inbox.Id, UidSet.Of(1), new FlagChange(FlagOperation.Add, Flags(SystemFlags.Seen)));
        Assert.Empty(noop.Changed);
        Assert.Equal(highest, (await MailboxAsync(account, "INBOX")).HighestModSeq);
        Assert.Equal(first.ModSeq, (await account.FetchAsync(inbox.Id, UidSet.Of(1)))[0].ModSeq);

        // Message 2 changes after `highest`; a STORE conditional on `first.ModSeq` must skip it.
        var touched = await account.StoreFlagsAsync(inbox.Id, UidSet.Of(2), new FlagChange(FlagOperation.Add, Flags(SystemFlags.Flagged)));
        var conditional = await account.StoreFlagsAsync(inbox.Id, UidSet.All, new FlagChange(FlagOperation.Add, Flags(SystemFlags.Answered)), unchangedSince: highest);
        Assert.Equal([2u], conditional.Modified);
        var changed = Assert.Single(conditional.Changed);
        Assert.Equal(1u, changed.Uid);
        Assert.True(changed.ModSeq > touched.Changed[0].ModSeq);
        var summaries = await account.FetchAsync(inbox.Id, UidSet.All);
        Assert.Equal(SystemFlags.Seen | SystemFlags.Answered, summaries[0].Flags.System);
        Assert.Equal(SystemFlags.Flagged, summaries[1].Flags.System);
        Assert.Equal(changed.ModSeq, (await MailboxAsync(account, "INBOX")).HighestModSeq);

        var since = await account.FetchAsync(inbox.Id, UidSet.All, changedSince: touched.Changed[0].ModSeq);
        Assert.Equal([1u], since.Select(s => s.Uid));
    }

    [Fact]
    public async Task Expunge_removes_deleted_messages_all_or_by_uid_set_and_logs_them()
    {
        var account = await NewAccountAsync();
        var inbox = await MailboxAsync(account, "INBOX");
        for (var i = 0; i < 6; i++)
        {
            await AppendAsync(account, Message(), flags: Flags(i % 2 == 0 ? SystemFlags.Deleted : SystemFlags.None));
        }

        var start = (await MailboxAsync(account, "INBOX")).HighestModSeq;
        var partial = await account.ExpungeAsync(inbox.Id, UidSet.Of(1, 2, 3));
        Assert.Equal([1u, 3u], partial.Uids);
        Assert.True(partial.ModSeq > start);
        Assert.Equal([2u, 4u, 5u, 6u], await account.ListUidsAsync(inbox.Id));
        var rest = await account.ExpungeAsync(inbox.Id);
        Assert.Equal([5u], rest.Uids);
        Assert.True(rest.ModSeq > partial.ModSeq);
        var nothing = await account.ExpungeAsync(inbox.Id);
        Assert.Empty(nothing.Uids);
        Assert.Equal([1u, 3u, 5u], await account.ExpungedSinceAsync(inbox.Id, start));
        Assert.Equal([5u], await account.ExpungedSinceAsync(inbox.Id, partial.ModSeq));
        Assert.Empty(await account.ExpungedSinceAsync(inbox.Id, rest.ModSeq));
        Assert.Equal(7u, (await AppendAsync(account, Message())).Uid);
    }

    [Fact]
    public async Task Modseq_strictly_increases_with_every_change()
    {
        var account = await NewAccountAsync();
        var inbox = await MailboxAsync(account, "INBOX");
        var seen = new List<ulong> { inbox.HighestModSeq };
        async Task Step(Func<Task> change)
        {
            await change();
            seen.Add((await MailboxAsync(account, "INBOX")).HighestModSeq);
        }

        await Step(() => AppendAsync(account, Message()));
        await Step(() => AppendAsync(account, Message()));
        await Step(() => account.StoreFlagsAsync(inbox.Id, UidSet.Of(1), new FlagChange(FlagOperation.Add, Flags(SystemFlags.Deleted))));
        await Step(() => account.StoreFlagsAsync(inbox.Id, UidSet.Of(2), new FlagChange(FlagOperation.Add, Flags(SystemFlags.None, "kw"))));
        await Step(() => account.ExpungeAsync(inbox.Id));
        await Step(() => account.MoveAsync(inbox.Id, UidSet.Of(2), "Trash"));
        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i] > seen[i - 1], $"step {i}: {seen[i]} <= {seen[i - 1]}");
        }
    }

    [Fact]
    public async Task Quota_counts_octets_and_messages()
    {
        var account = await NewAccountAsync();
        var a = Message("a");
        var b = Message("bb", body: new string('z', 500));
        await AppendAsync(account, a);
        await AppendAsync(account, b, "Sent");
        var quota = await account.GetQuotaAsync();
        Assert.Equal(a.Length + b.Length, quota.StorageUsed);
        Assert.Equal(2, quota.MessagesUsed);
        Assert.Null(quota.StorageLimit);
        Assert.Null(quota.MessageLimit);
    }

    [Fact]
    public async Task Concurrent_appends_to_one_account_get_unique_dense_uids()
    {
        var account = await NewAccountAsync();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await AppendAsync(account, Message($"t{t} m{i}"));
            }
        })));
        var inbox = await MailboxAsync(account, "INBOX");
        Assert.Equal(400, inbox.Messages);
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (uint)i), await account.ListUidsAsync(inbox.Id));
        var modSeqs = (await account.FetchAsync(inbox.Id, UidSet.All)).Select(s => s.ModSeq).ToList();
        Assert.Equal(400, modSeqs.Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_deliveries_to_eight_accounts_all_arrive()
    {
        var names = Enumerable.Range(0, 8).Select(i => $"user{i}").ToArray();
        foreach (var name in names)
        {
            await Store.CreateAccountAsync(name, []);
        }

        await Task.WhenAll(names.Select(name => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                using var stream = new MemoryStream(Message($"{name} {i}"));
                var outcome = Assert.Single(await Store.DeliverAsync(stream, [new DeliveryTarget(name, null, MessageFlags.Empty)]));
                Assert.Null(outcome.Error);
            }
        })));
        foreach (var name in names)
        {
            var account = await Store.OpenAccountAsync(name);
            var inbox = await MailboxAsync(account, "INBOX");
            Assert.Equal(Enumerable.Range(1, 50).Select(i => (uint)i), await account.ListUidsAsync(inbox.Id));
        }
    }

    [Fact]
    public async Task Two_store_instances_appending_to_one_account_get_unique_dense_uids()
    {
        // Another process on the same data (rampart deliver beside rampart serve) writes concurrently.
        var account = await NewAccountAsync();
        var other = await (await OpenAsync()).OpenAccountAsync("alice");
        await Task.WhenAll(new[] { account, other }.SelectMany(a => Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await AppendAsync(a, Message($"t{t} m{i}"));
            }
        }))));
        var inbox = await MailboxAsync(account, "INBOX");
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (uint)i), await account.ListUidsAsync(inbox.Id));
        Assert.Equal(201u, inbox.UidNext);
    }

    [Fact]
    public async Task Concurrent_writes_fail_or_succeed_on_their_own()
    {
        // Many creates of one name queued together: exactly one wins, the others fail alone.
        var account = await NewAccountAsync();
        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            try
            {
                await account.CreateMailboxAsync("Race");
                return (StoreError?)null;
            }
            catch (StoreException ex)
            {
                return ex.Error;
            }
        })));
        Assert.Single(attempts, a => a is null);
        Assert.All(attempts.Where(a => a is not null), a => Assert.Equal(StoreError.AlreadyExists, a));
        Assert.Single(await account.ListMailboxesAsync(), b => b.Name == "Race");
    }

    [Fact]
    public async Task Reopening_keeps_everything()
    {
        var account = await NewAccountAsync();
        var raw = Message("persist");
        var appended = await AppendAsync(account, raw, flags: Flags(SystemFlags.Seen, "kept"));
        await account.CreateMailboxAsync("Deep/Box");
        await Store.SetSecretAsync(account.Account.Id, "password", "secret");
        var before = await account.ListMailboxesAsync();
        await ReopenAsync();
        var again = await Store.OpenAccountAsync("alice");
        Assert.Equal(before, await again.ListMailboxesAsync());
        var inbox = await MailboxAsync(again, "INBOX");
        var summary = Assert.Single(await again.FetchAsync(inbox.Id, UidSet.All));
        Assert.Equal(appended.ModSeq, summary.ModSeq);
        Assert.Equal(["kept"], summary.Flags.Keywords);
        await using var stream = await again.OpenMessageAsync(inbox.Id, appended.Uid);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(raw, copy.ToArray());
        Assert.Equal("secret", await Store.GetSecretAsync(account.Account.Id, "password"));
        Assert.Equal(2u, (await AppendAsync(again, Message())).Uid);
    }

    [Fact]
    public async Task Setting_100k_keywords_on_one_message_completes()
    {
        // SECURITY.md M07: keyword handling must be linear; a quadratic path would not finish in the test timeout.
        var account = await NewAccountAsync();
        var inbox = await MailboxAsync(account, "INBOX");
        await AppendAsync(account, Message());
        var keywords = Enumerable.Range(0, 100_000).Select(i => $"kw{i}").ToArray();
        var result = await account.StoreFlagsAsync(inbox.Id, UidSet.Of(1), new FlagChange(FlagOperation.Add, Flags(SystemFlags.None, keywords)));
        Assert.Equal(100_000, Assert.Single(result.Changed).Flags.Keywords.Count);
        var hits = await account.SearchAsync(inbox.Id, new Rampart.Store.Search.KeywordKey("KW99999", true));
        Assert.Equal([1u], hits);
        var removed = await account.StoreFlagsAsync(inbox.Id, UidSet.Of(1), new FlagChange(FlagOperation.Replace, MessageFlags.Empty));
        Assert.Empty(Assert.Single(removed.Changed).Flags.Keywords);
    }
}
