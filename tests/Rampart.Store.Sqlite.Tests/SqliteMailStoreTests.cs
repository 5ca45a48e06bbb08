using Microsoft.Data.Sqlite;
using Rampart.Store.Model;
using Rampart.Store.Search;
using Rampart.Store.Tests.Suite;

namespace Rampart.Store.Sqlite.Tests;

/// <summary>The shared store suite on the embedded backend, plus what only this backend has: its layout on disk,
/// the sweep of orphans, and the data directory checks.</summary>
public sealed class SqliteMailStoreTests : MailStoreSuite
{
    private const long TestMaxMessageSize = 256 * 1024;

    protected override long MaxMessageSize => TestMaxMessageSize;

    protected override async Task<IMailStore> CreateStoreAsync(string directory) =>
        await SqliteMailStore.OpenAsync(Options(directory));

    private static SqliteStoreOptions Options(string directory) => new()
    {
        DataDirectory = directory,
        MaxMessageSize = TestMaxMessageSize,
        // Durable stays on: the tests exercise the real fsync path.
        Durable = true,
    };

    protected override Task CollectUnreferencedContentAsync() => Sqlite.SweepAsync(TimeSpan.Zero, CancellationToken.None);

    private SqliteMailStore Sqlite => (SqliteMailStore)Store;

    private string BlobRoot => Path.Combine(DataPath, "blobs");

    private string[] BlobFiles() =>
        [.. Directory.EnumerateFiles(BlobRoot, "*", SearchOption.AllDirectories).Where(f => !Path.GetRelativePath(BlobRoot, f).StartsWith("tmp", StringComparison.Ordinal))];

    [Fact]
    public async Task Layout_has_the_directory_database_account_databases_and_content_addressed_blobs()
    {
        var account = await NewAccountAsync();
        var raw = Message();
        var result = await AppendAsync(account, raw);
        Assert.True(File.Exists(Path.Combine(DataPath, "directory.db")));
        Assert.True(File.Exists(Path.Combine(DataPath, "accounts", $"{account.Account.Id}.db")));
        Assert.True(Directory.Exists(Path.Combine(BlobRoot, "tmp")));
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(raw));
        Assert.Equal(expected, result.BlobId);
        var path = Path.Combine(BlobRoot, expected[..2], expected[2..4], expected);
        Assert.Equal(raw, await File.ReadAllBytesAsync(path));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(BlobRoot, "tmp")));

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataPath, "accounts", $"{account.Account.Id}.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode; PRAGMA user_version;";
        using var reader = command.ExecuteReader();
        reader.Read();
        Assert.Equal("wal", reader.GetString(0));
        reader.NextResult();
        reader.Read();
        Assert.Equal(5, reader.GetInt32(0));
    }

    [Fact]
    public async Task One_message_delivered_to_three_accounts_is_stored_once()
    {
        foreach (var name in new[] { "a1", "a2", "a3" })
        {
            await Store.CreateAccountAsync(name, []);
        }

        using var stream = new MemoryStream(Message("to everyone"));
        var outcomes = await Store.DeliverAsync(stream, [.. new[] { "a1", "a2", "a3" }.Select(n => new DeliveryTarget(n, null, MessageFlags.Empty))]);
        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Single(outcomes.Select(o => o.Result!.BlobId).Distinct());
        Assert.Single(BlobFiles());

        // The same bytes appended again later are still one file.
        var a1 = await Store.OpenAccountAsync("a1");
        stream.Position = 0;
        await a1.AppendAsync("Archive", stream, MessageFlags.Empty);
        Assert.Single(BlobFiles());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public async Task A_blob_name_that_survived_a_crash_without_its_content_is_replaced_by_the_next_copy(int keptOctets)
    {
        // A new blob is renamed to its address before its fsyncs, so a power loss can keep the name and lose (part
        // of) the content; nothing refers to such a blob, but the next delivery of the same content finds it.
        var account = await NewAccountAsync();
        var raw = Message("the same content again");
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(raw));
        var path = PathOf(hash);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, raw[..keptOctets]);

        var result = await AppendAsync(account, raw);

        Assert.Equal(hash, result.BlobId);
        Assert.Equal(raw, await File.ReadAllBytesAsync(path));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(BlobRoot, "tmp")));
    }

    [Fact]
    public async Task A_blob_another_process_stored_is_kept_and_shared()
    {
        var account = await NewAccountAsync();
        var raw = Message("stored by rampart deliver");
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(raw));
        var path = PathOf(hash);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, raw);
        var before = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, before.AddHours(-1));

        var first = await AppendAsync(account, raw);
        var second = await AppendAsync(account, raw);

        Assert.Equal(hash, first.BlobId);
        Assert.Equal(hash, second.BlobId);
        Assert.Single(BlobFiles());
        Assert.Equal(raw, await File.ReadAllBytesAsync(path));
        // Touched, so a sweep's grace period covers it until the commit that names it.
        Assert.True(File.GetLastWriteTimeUtc(path) > before.AddMinutes(-30));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(BlobRoot, "tmp")));
    }

    [Fact]
    public async Task Mailbox_counts_kept_by_triggers_equal_a_recount_after_every_kind_of_change()
    {
        var account = await NewAccountAsync();
        var seen = new MessageFlags(SystemFlags.Seen, []);
        var appended = new List<AppendResult>();
        for (var i = 0; i < 6; i++)
        {
            appended.Add(await AppendAsync(account, Message($"m{i}", body: new string('x', 100 * (i + 1))), flags: i < 2 ? seen : MessageFlags.Empty));
        }

        var inbox = appended[0].MailboxId;
        await account.CreateMailboxAsync("Kept");
        await account.CreateMailboxAsync("Bin");
        await account.StoreFlagsAsync(inbox, UidSet.Of(appended[2].Uid), new FlagChange(FlagOperation.Add, seen));
        await account.StoreFlagsAsync(inbox, UidSet.Of(appended[0].Uid), new FlagChange(FlagOperation.Remove, seen));
        await account.StoreFlagsAsync(inbox, UidSet.Of(appended[1].Uid), new FlagChange(FlagOperation.Add, new MessageFlags(SystemFlags.Flagged, ["$work"])));
        await account.CopyAsync(inbox, UidSet.Of(appended[1].Uid, appended[3].Uid), "Kept");
        await account.MoveAsync(inbox, UidSet.Of(appended[4].Uid), "Bin");
        await account.StoreFlagsAsync(inbox, UidSet.Of(appended[5].Uid), new FlagChange(FlagOperation.Add, new MessageFlags(SystemFlags.Deleted, [])));
        await account.ExpungeAsync(inbox);
        await AssertCountsAsync(account);

        await account.RenameMailboxAsync("INBOX", "Old");
        await account.DeleteMailboxAsync("Bin");
        await AssertCountsAsync(account);
        Assert.Equal((0, 0, 0L), await CountsAsync(account, "INBOX"));
        Assert.Equal((4, 2), ((await account.GetMailboxAsync("Old"))!.Messages, (await account.GetMailboxAsync("Old"))!.Unseen));
        Assert.Null(await account.GetMailboxAsync("Bin"));
    }

    private async Task AssertCountsAsync(IAccountStore account)
    {
        foreach (var mailbox in await account.ListMailboxesAsync())
        {
            var messages = await account.FetchAsync(mailbox.Id, UidSet.Range(1, uint.MaxValue));
            var recount = (messages.Count, messages.Count(m => !m.Flags.System.HasFlag(SystemFlags.Seen)), messages.Sum(m => m.Size));
            Assert.Equal(recount, (mailbox.Messages, mailbox.Unseen, mailbox.Size));
            Assert.Equal(recount, await CountsAsync(account, mailbox.Name));
        }

        var quota = await account.GetQuotaAsync();
        var all = await account.ListMailboxesAsync();
        Assert.Equal(all.Sum(m => m.Size), quota.StorageUsed);
        Assert.Equal(all.Sum(m => m.Messages), quota.MessagesUsed);
    }

    private static async Task<(int, int, long)> CountsAsync(IAccountStore account, string name) =>
        await account.GetMailboxAsync(name) is { } m ? (m.Messages, m.Unseen, m.Size) : (-1, -1, -1);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Search_text_waits_as_pending_until_a_batch_or_the_next_search_indexes_it(bool background)
    {
        // Schema 5: the commit leaves the text pending; a flush a moment later (or the search itself) indexes it.
        var directory = Path.Combine(DataPath, "deferred");
        var options = Options(directory);
        options.TextIndexDelay = background ? TimeSpan.FromMilliseconds(10) : TimeSpan.FromHours(1);
        await using var store = await SqliteMailStore.OpenAsync(options);
        var created = await store.CreateAccountAsync("dora", []);
        var account = await store.OpenAccountAsync("dora");
        var appended = await AppendAsync(account, Message("pending", body: "a rare quokkaberry in the body", extraHeaders: "X-Note: kiwi\r\n"));
        var database = Path.Combine(directory, "accounts", $"{created.Id}.db");

        if (background)
        {
            for (var wait = 0; wait < 200 && await PendingTextsAsync(database) > 0; wait++)
            {
                await Task.Delay(50);
            }
        }
        else
        {
            Assert.Equal(1, await PendingTextsAsync(database));

            // SUBJECT has a column of its own: that search needs no index and leaves the text pending.
            Assert.Equal([appended.Uid], await account.SearchAsync(appended.MailboxId, new HeaderKey("Subject", "pending")));
            Assert.Equal(1, await PendingTextsAsync(database));

            // Any other header field is read from the indexed header text: that search indexes first.
            Assert.Equal([appended.Uid], await account.SearchAsync(appended.MailboxId, new HeaderKey("X-Note", "kiwi")));
            Assert.Equal(0, await PendingTextsAsync(database));
        }

        if (background)
        {
            Assert.Equal(0, await PendingTextsAsync(database));
        }

        Assert.Equal([appended.Uid], await account.SearchAsync(appended.MailboxId, new TextKey(TextScope.Body, "quokkaberry")));
        Assert.Equal([appended.Uid], await account.SearchAsync(appended.MailboxId, new TextKey(TextScope.Text, "rare")));
        Assert.Equal(0, await PendingTextsAsync(database));
    }

    [Fact]
    public async Task A_search_finds_text_another_process_left_pending()
    {
        // rampart deliver commits and exits before its flush runs; the serving process must still find that text.
        var directory = Path.Combine(DataPath, "two-processes");
        var options = Options(directory);
        options.TextIndexDelay = TimeSpan.FromHours(1);
        await using var serving = await SqliteMailStore.OpenAsync(options);
        await serving.CreateAccountAsync("erin", []);
        var account = await serving.OpenAccountAsync("erin");
        var first = await AppendAsync(account, Message("first", body: "nothing special"));
        Assert.Empty(await account.SearchAsync(first.MailboxId, new TextKey(TextScope.Body, "wombatberry")));

        await using (var delivering = await SqliteMailStore.OpenAsync(options))
        {
            using var message = new MemoryStream(Message("second", body: "a wombatberry arrives"));
            var outcome = Assert.Single(await delivering.DeliverAsync(message, [new DeliveryTarget("erin", null, MessageFlags.Empty)]));
            Assert.Null(outcome.Error);
        }

        var found = await account.SearchAsync(first.MailboxId, new TextKey(TextScope.Body, "wombatberry"));
        Assert.Equal(first.Uid + 1, Assert.Single(found));
    }

    private static async Task<long> PendingTextsAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM blob_text_pending";
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Too_big_leaves_no_temporary_or_blob_file()
    {
        var account = await NewAccountAsync();
        var big = new byte[TestMaxMessageSize + 1];
        var ex = await Assert.ThrowsAsync<StoreException>(() => AppendAsync(account, big));
        Assert.Equal(StoreError.TooBig, ex.Error);
        Assert.Empty(Directory.EnumerateFiles(BlobRoot, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Sweep_removes_old_temporary_files_and_unreferenced_blobs_but_spares_recent_and_referenced_ones()
    {
        var account = await NewAccountAsync();
        var kept = await AppendAsync(account, Message("kept"));
        var expunged = await AppendAsync(account, Message("expunged"), flags: Flags(SystemFlags.Deleted));
        var inbox = await MailboxAsync(account, "INBOX");
        await account.ExpungeAsync(inbox.Id);
        var tmp = Path.Combine(BlobRoot, "tmp");
        var oldTemp = Path.Combine(tmp, "old-upload");
        var newTemp = Path.Combine(tmp, "new-upload");
        await File.WriteAllTextAsync(oldTemp, "partial");
        await File.WriteAllTextAsync(newTemp, "in flight");
        var stray = new string('e', 64);
        var strayPath = Path.Combine(BlobRoot, "ee", "ee", stray);
        Directory.CreateDirectory(Path.GetDirectoryName(strayPath)!);
        await File.WriteAllTextAsync(strayPath, "crashed before commit");
        var past = DateTime.UtcNow.AddHours(-1);
        foreach (var file in new[] { oldTemp, strayPath, PathOf(kept.BlobId), PathOf(expunged.BlobId) })
        {
            File.SetLastWriteTimeUtc(file, past);
        }

        var deleted = await Sqlite.SweepAsync();
        Assert.Equal(3, deleted);
        Assert.False(File.Exists(oldTemp));
        Assert.False(File.Exists(strayPath));
        Assert.False(File.Exists(PathOf(expunged.BlobId)));
        Assert.True(File.Exists(newTemp));
        Assert.True(File.Exists(PathOf(kept.BlobId)));

        // A recent unreferenced blob (another process may be about to commit it) survives.
        var recent = await AppendAsync(account, Message("recent"), flags: Flags(SystemFlags.Deleted));
        await account.ExpungeAsync(inbox.Id);
        Assert.Equal(0, await Sqlite.SweepAsync());
        Assert.True(File.Exists(PathOf(recent.BlobId)));
        Assert.Equal(1, await Sqlite.SweepAsync(TimeSpan.Zero, CancellationToken.None) - 1);
    }

    [Fact]
    public async Task Open_sweeps_old_temporary_files()
    {
        await NewAccountAsync();
        var stale = Path.Combine(BlobRoot, "tmp", "stale");
        await File.WriteAllTextAsync(stale, "x");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-1));
        await ReopenAsync();
        Assert.False(File.Exists(stale));
    }

    [Fact]
    public async Task Deleting_an_account_removes_its_database_file()
    {
        var account = await NewAccountAsync();
        var path = Path.Combine(DataPath, "accounts", $"{account.Account.Id}.db");
        Assert.True(File.Exists(path));
        await Store.DeleteAccountAsync("alice");
        Assert.False(File.Exists(path));
        var again = await Store.CreateAccountAsync("alice", []);
        Assert.NotEqual(account.Account.Id, again.Id);
    }

    [Fact]
    public async Task An_unusable_data_directory_fails_with_its_path_in_the_message()
    {
        var file = Path.Combine(DataPath, "not-a-directory");
        Directory.CreateDirectory(DataPath);
        await File.WriteAllTextAsync(file, "x");
        var ex = await Assert.ThrowsAsync<IOException>(() => SqliteMailStore.OpenAsync(Options(file)));
        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_from_a_newer_version_is_refused()
    {
        await ReopenAsync();
        await Store.DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(DataPath, "directory.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }

        var ex = await Assert.ThrowsAsync<IOException>(() => SqliteMailStore.OpenAsync(Options(DataPath)));
        Assert.Contains("99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_subscriber_gets_feed_overflow()
    {
        await using var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = Path.Combine(DataPath, "small"), SubscriberQueueCapacity = 4 });
        await store.CreateAccountAsync("alice", []);
        var account = await store.OpenAccountAsync("alice");
        using var subscription = account.Subscribe();
        var inbox = (await account.GetMailboxAsync("INBOX"))!;
        for (var i = 0; i < 10; i++)
        {
            await account.SetSubscribedAsync($"name{i}", true);
        }

        // Four changes fit; the fifth becomes FeedOverflow; the rest are dropped.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 4; i++)
        {
            var change = Assert.IsType<Rampart.Store.Changes.SubscriptionChanged>(await subscription.Changes.ReadAsync(timeout.Token));
            Assert.Equal($"name{i}", change.Name);
        }

        Assert.IsType<Rampart.Store.Changes.FeedOverflow>(await subscription.Changes.ReadAsync(timeout.Token));

        // Once the subscriber has read, changes flow again (a late one of the first ten may come first).
        await account.SetSubscribedAsync("last", true);
        while (Assert.IsType<Rampart.Store.Changes.SubscriptionChanged>(await subscription.Changes.ReadAsync(timeout.Token)).Name != "last")
        {
        }

        Assert.NotEqual(0, inbox.Id);
    }

    [Fact]
    public async Task The_wire_size_with_crlf_line_ends_is_counted_at_delivery()
    {
        var account = await NewAccountAsync();
        // Bare LFs become CRLF and the unterminated last line gets one: what POP3 RETR sends (RFC 1939 §5).
        var raw = "Subject: a\nFrom: b@example.com\r\n\nbody"u8.ToArray();
        var result = await AppendAsync(account, raw);
        var summary = Assert.Single(await account.FetchAsync(result.MailboxId, UidSet.Of(result.Uid)));
        Assert.Equal(raw.Length, summary.Size);
        Assert.Equal("Subject: a\r\nFrom: b@example.com\r\n\r\nbody\r\n"u8.Length, summary.WireSize);
    }

    [Fact]
    public async Task A_database_from_before_the_wire_size_gains_the_column_and_reads_null()
    {
        var account = await NewAccountAsync();
        var result = await AppendAsync(account, Message());
        var id = (await Store.FindAccountAsync("alice"))!.Id;
        await account.DisposeAsync();
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(DataPath, "accounts", $"{id}.db")};Pooling=False"))
        {
            // Back to schema version 1 as an older Rampart wrote it.
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = DropVersions4And5 + "DROP TABLE blob_structures; ALTER TABLE blobs DROP COLUMN wire_size; PRAGMA user_version = 1;";
            command.ExecuteNonQuery();
        }

        await ReopenAsync();
        await using var reopened = await Store.OpenAccountAsync("alice");
        var summary = Assert.Single(await reopened.FetchAsync(result.MailboxId, UidSet.Of(result.Uid)));
        Assert.Null(summary.WireSize);
        var next = await AppendAsync(reopened, Message(subject: "after"));
        Assert.NotNull(Assert.Single(await reopened.FetchAsync(next.MailboxId, UidSet.Of(next.Uid))).WireSize);
    }

    [Fact]
    public async Task A_database_from_before_the_structure_table_is_backfilled_in_batches_at_open()
    {
        var account = await NewAccountAsync();
        var first = await AppendAsync(account, Message(subject: "first"));
        var second = await AppendAsync(account, Message(subject: "second", extraHeaders: "Cc: Carol <carol@example.net>\r\n"));
        var damaged = await AppendAsync(account, Message(subject: "damaged"));
        var expected = await account.GetMetadataAsync(second.MailboxId, second.Uid);
        var id = (await Store.FindAccountAsync("alice"))!.Id;
        await account.DisposeAsync();
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        var path = Path.Combine(DataPath, "accounts", $"{id}.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            // Back to schema version 2 as an older Rampart wrote it, with more blobs than one backfill batch holds
            // (copies of the first record under other hashes) and one record that cannot be read.
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = DropVersions4And5 + """
                DROP TABLE blob_structures;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600)
                INSERT INTO blobs (hash, email_id, size, metadata) SELECT b.hash || '-' || n.i, b.email_id, b.size, b.metadata FROM blobs b, n WHERE b.id = (SELECT min(id) FROM blobs);
                INSERT INTO messages (mailbox_id, uid, blob_id, modseq, flags, internal_date, internal_offset, internal_day, save_date, save_day, size)
                    SELECT m.mailbox_id, 1000 + b.id, b.id, m.modseq, m.flags, m.internal_date, m.internal_offset, m.internal_day, m.save_date, m.save_day, m.size
                    FROM blobs b, messages m WHERE b.hash LIKE '%-%' AND m.uid = $first;
                UPDATE blobs SET metadata = x'7b' WHERE id = (SELECT blob_id FROM messages WHERE uid = $damaged);
                PRAGMA user_version = 2;
                """;
            command.Parameters.AddWithValue("$damaged", (long)damaged.Uid);
            command.Parameters.AddWithValue("$first", (long)first.Uid);
            command.ExecuteNonQuery();
        }

        await ReopenAsync();
        await using var reopened = await Store.OpenAccountAsync("alice");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT (SELECT count(*) FROM blobs), (SELECT count(*) FROM blob_structures), (SELECT max(length(data)) FROM blob_structures)";
            using var reader = command.ExecuteReader();
            reader.Read();
            Assert.Equal(603, reader.GetInt64(0));
            Assert.Equal(602, reader.GetInt64(1)); // all but the damaged one
            Assert.True(reader.GetInt64(2) < 1024);
        }

        // Version 4 counted what version 2 held, the 600 copies made without triggers included.
        var inbox = await reopened.GetMailboxAsync("INBOX");
        Assert.Equal(603, inbox!.Messages);
        Assert.Equal(603, inbox.Unseen);
        Assert.Equal(await SumOfSizesAsync(path, first.MailboxId), inbox.Size);

        var structures = await reopened.GetStructuresAsync(first.MailboxId, UidSet.Of(first.Uid, second.Uid));
        Assert.Equal([first.Uid, second.Uid], structures.Select(s => s.Uid));
        Assert.Equal("first", structures[0].Envelope.Subject);
        Assert.Equal(expected.Envelope.Subject, structures[1].Envelope.Subject);
        Assert.Equal("carol", Assert.Single(structures[1].Envelope.Cc).Mailbox);
        Assert.Equal(expected.Body.BodyLength, structures[1].Body.BodyLength);
        Assert.Equal(expected.Preview, structures[1].Preview);
        var copies = await reopened.GetStructuresAsync(first.MailboxId, UidSet.Range(1000, 2000));
        Assert.Equal(600, copies.Count);
        Assert.All(copies, c => Assert.Equal("first", c.Envelope.Subject));
        // The damaged record has no compact row: the read falls back to it and reports the damage, as before the step.
        await Assert.ThrowsAsync<InvalidDataException>(() => reopened.GetStructuresAsync(damaged.MailboxId, UidSet.Of(damaged.Uid)));

        // A message delivered after the step gets its row at delivery.
        var next = await AppendAsync(reopened, Message(subject: "after"));
        Assert.Equal("after", Assert.Single(await reopened.GetStructuresAsync(next.MailboxId, UidSet.Of(next.Uid))).Envelope.Subject);
    }

    [Fact]
    public async Task Flags_are_read_without_summaries_and_equal_sets_share_one_instance()
    {
        var account = await NewAccountAsync();
        var a = await AppendAsync(account, Message(), flags: new MessageFlags(SystemFlags.Seen, []));
        var b = await AppendAsync(account, Message(), flags: new MessageFlags(SystemFlags.Seen, []));
        var c = await AppendAsync(account, Message(), flags: new MessageFlags(SystemFlags.Flagged, ["Work", "$Label1"]));
        var d = await AppendAsync(account, Message(), flags: new MessageFlags(SystemFlags.Flagged, ["$label1", "work"]));
        var flags = await account.FetchFlagsAsync(a.MailboxId, UidSet.Range(a.Uid, d.Uid));
        Assert.Equal([a.Uid, b.Uid, c.Uid, d.Uid], flags.Select(f => f.Uid));
        Assert.Same(flags[0].Flags, flags[1].Flags);
        Assert.Same(flags[2].Flags, flags[3].Flags);
        Assert.Equal(["$Label1", "Work"], flags[2].Flags.Keywords);
        var summaries = await account.FetchAsync(a.MailboxId, UidSet.Range(a.Uid, d.Uid));
        Assert.Equal(summaries.Select(s => s.ModSeq), flags.Select(f => f.ModSeq));

        // CHANGEDSINCE: only what changed after the given MODSEQ.
        var stored = await account.StoreFlagsAsync(a.MailboxId, UidSet.Of(b.Uid), new FlagChange(FlagOperation.Add, new MessageFlags(SystemFlags.Answered, [])));
        var changed = Assert.Single(await account.FetchFlagsAsync(a.MailboxId, UidSet.Range(a.Uid, d.Uid), changedSince: summaries.Max(s => s.ModSeq)));
        Assert.Equal(b.Uid, changed.Uid);
        Assert.Equal(Assert.Single(stored.Changed).ModSeq, changed.ModSeq);
        Assert.Equal(SystemFlags.Seen | SystemFlags.Answered, changed.Flags.System);
    }

    /// <summary>Undoes schema versions 5 (pending search texts, indexed first) and 4 (the counts table and its
    /// triggers), to make a database as an older Rampart wrote it.</summary>
    private const string DropVersions4And5 = """
        INSERT INTO blob_text (rowid, header_text, body_text) SELECT blob_id, header_text, body_text FROM blob_text_pending;
        DROP TABLE blob_text_pending;
        DROP TRIGGER messages_counted_insert; DROP TRIGGER messages_counted_delete; DROP TRIGGER messages_counted_update;
        DROP TABLE mailbox_counts;
        """;

    private static async Task<long> SumOfSizesAsync(string path, long mailboxId)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sum(size) FROM messages WHERE mailbox_id = $m";
        command.Parameters.AddWithValue("$m", mailboxId);
        return (long)command.ExecuteScalar()!;
    }

    private string PathOf(string hash) => Path.Combine(BlobRoot, hash[..2], hash[2..4], hash);

    [Fact]
    public async Task Commits_reach_the_database_file_through_the_background_checkpoint()
    {
        // The writer's own automatic checkpoint only starts at thousands of WAL pages: ten small appends reach the
        // database file (read here without its WAL) only because a checkpoint ran in the background.
        var account = await NewAccountAsync();
        for (var i = 0; i < 10; i++)
        {
            await AppendAsync(account, Message(subject: $"m{i}"));
        }

        var database = Path.Combine(DataPath, "accounts", $"{account.Account.Id}.db");
        var copy = Path.Combine(DataPath, "checkpointed.db");
        long seen = -1;
        for (var attempt = 0; attempt < 100 && seen != 10; attempt++)
        {
            await Task.Delay(100);
            File.Copy(database, copy, overwrite: true);
            try
            {
                await using var connection = new SqliteConnection($"Data Source={copy};Mode=ReadOnly;Pooling=False");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM messages";
                seen = (long)command.ExecuteScalar()!;
            }
            catch (SqliteException)
            {
                // Copied in the middle of a checkpoint's writes: try again.
            }
        }

        Assert.Equal(10, seen);
    }

    [Fact]
    public async Task Stored_metadata_leaves_the_search_texts_to_the_full_text_index()
    {
        var account = await NewAccountAsync();
        var inbox = (await account.GetMailboxAsync("INBOX"))!;
        // The word comes after the 256-character preview, which the record does keep.
        await AppendAsync(account, Message(body: new string('x', 300) + " The zanzibarish figures are in."));

        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(DataPath, "accounts", $"{account.Account.Id}.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT metadata FROM blobs";
            var metadata = System.Text.Encoding.UTF8.GetString((byte[])command.ExecuteScalar()!);
            Assert.Contains("\"Envelope\"", metadata, StringComparison.Ordinal);
            Assert.DoesNotContain("zanzibarish", metadata, StringComparison.Ordinal);
        }

        Assert.Equal([1u], await account.SearchAsync(inbox.Id, new TextKey(TextScope.Body, "zanzibarish")));
    }
}
