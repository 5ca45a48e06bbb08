using System.Text;
using Rampart.Store.Model;

namespace Rampart.Store.Tests.Suite;

/// <summary>The batched and cached reads FETCH and SELECT use: they must answer exactly what the one-by-one reads
/// answer, after every kind of change, also when another store instance (process) made it.</summary>
public abstract partial class MailStoreSuite
{
    [Fact]
    public async Task Structures_of_a_uid_set_match_the_metadata_and_leave_out_missing_uids()
    {
        var account = await NewAccountAsync();
        var multipart = Encoding.UTF8.GetBytes(
            "From: Carol <carol@example.net>\r\nSubject: Parts\r\nMessage-ID: <parts@example.net>\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nFirst part text.\r\n" +
            "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--b--\r\n");
        var first = await AppendAsync(account, Message("One", "A body long enough to have a preview."));
        var second = await AppendAsync(account, multipart);
        var third = await AppendAsync(account, Message("Three"), flags: Flags(SystemFlags.Deleted));
        await account.ExpungeAsync(first.MailboxId);

        var structures = await account.GetStructuresAsync(first.MailboxId, UidSet.FromRanges([(first.Uid, third.Uid + 10)]));

        Assert.Equal([first.Uid, second.Uid], structures.Select(s => s.Uid));
        foreach (var structure in structures)
        {
            var metadata = await account.GetMetadataAsync(first.MailboxId, structure.Uid);
            Assert.Equal(metadata.Envelope.Subject, structure.Envelope.Subject);
            Assert.Equal(metadata.Envelope.MessageId, structure.Envelope.MessageId);
            Assert.Equal(metadata.Envelope.From.Select(a => a.Mailbox + "@" + a.Host), structure.Envelope.From.Select(a => a.Mailbox + "@" + a.Host));
            Assert.Equal(metadata.Preview, structure.Preview);
            Assert.Equal(Shape(metadata.Body), Shape(structure.Body));
        }

        Assert.Equal(2, structures[1].Body.Parts.Count);
        Assert.NotEmpty(structures[0].Preview);
        Assert.Empty(await account.GetStructuresAsync(first.MailboxId, UidSet.Of(third.Uid)));
    }

    [Fact]
    public async Task Uid_lists_and_counts_follow_appends_flag_changes_expunges_and_another_instance()
    {
        var account = await NewAccountAsync();
        var a = await AppendAsync(account, Message("a"));
        var b = await AppendAsync(account, Message("b"));
        var inbox = await MailboxAsync(account, "INBOX");
        Assert.Equal([a.Uid, b.Uid], await account.ListUidsAsync(inbox.Id));
        Assert.Equal((2, 2), (inbox.Messages, inbox.Unseen));

        // Read twice without a change (the second read may be served from what the first read), then change.
        Assert.Equal([a.Uid, b.Uid], await account.ListUidsAsync(inbox.Id));
        await account.StoreFlagsAsync(inbox.Id, UidSet.Of(a.Uid), new FlagChange(FlagOperation.Add, Flags(SystemFlags.Seen | SystemFlags.Deleted)));
        inbox = await MailboxAsync(account, "INBOX");
        Assert.Equal((2, 1), (inbox.Messages, inbox.Unseen));

        await account.ExpungeAsync(inbox.Id);
        Assert.Equal([b.Uid], await account.ListUidsAsync(inbox.Id));
        Assert.Equal(1, (await MailboxAsync(account, "INBOX")).Messages);

        // Another instance on the same data: the first one's next reads see its delivery.
        var other = await OpenAsync();
        using var stream = new MemoryStream(Message("c"));
        var c = Assert.Single(await other.DeliverAsync(stream, [new DeliveryTarget("alice", null, MessageFlags.Empty)])).Result!;
        Assert.Equal([b.Uid, c.Uid], await account.ListUidsAsync(inbox.Id));
        inbox = await MailboxAsync(account, "INBOX");
        Assert.Equal((2, 2), (inbox.Messages, inbox.Unseen));
        Assert.Equal(inbox.Size, (await account.ListMailboxesAsync()).Single(m => m.Name == "INBOX").Size);
    }

    [Fact]
    public async Task Flag_changes_are_kept_across_a_reopen()
    {
        var account = await NewAccountAsync();
        var a = await AppendAsync(account, Message());
        await account.StoreFlagsAsync(a.MailboxId, UidSet.Of(a.Uid), new FlagChange(FlagOperation.Add, Flags(SystemFlags.Flagged, "kw")));
        await ReopenAsync();
        account = await Store.OpenAccountAsync("alice");
        var summary = Assert.Single(await account.FetchAsync(a.MailboxId, UidSet.Of(a.Uid)));
        Assert.True(summary.Flags.Has(SystemFlags.Flagged));
        Assert.Contains("kw", summary.Flags.Keywords);
    }

    private static string Shape(Rampart.Store.Mime.BodyPart part) =>
        $"{part.Type}/{part.Subtype}@{part.HeaderOffset}+{part.HeaderLength},{part.BodyOffset}+{part.BodyLength}[{string.Join(";", part.Parts.Select(Shape))}]";
}
