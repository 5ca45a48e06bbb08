using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using Rampart.Imap.Tests.TestSupport;

namespace Rampart.Imap.Tests;

/// <summary>MailKit's ImapClient end to end against the real server over TCP and TLS.</summary>
public sealed class MailKitTests
{
    private static async Task<ImapClient> ConnectAsync(ImapTestServer server, string mechanism)
    {
        var port = await server.TlsPortAsync();
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.SslOnConnect);
        client.AuthenticationMechanisms.RemoveWhere(m => m != mechanism);
        await client.AuthenticateAsync("alice", "Secret-Pass-1");
        return client;
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("SCRAM-SHA-256")]
    public async Task Authenticates(string mechanism)
    {
        await using var server = await ImapTestServer.StartAsync();
        await server.AddUserAsync("alice", "Secret-Pass-1");
        using var client = await ConnectAsync(server, mechanism);
        Assert.True(client.IsAuthenticated);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Idle));
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Folders_append_fetch_search_store_move_idle_quota()
    {
        await using var server = await ImapTestServer.StartAsync();
        await server.AddUserAsync("alice", "Secret-Pass-1");
        using var client = await ConnectAsync(server, "PLAIN");
        var personal = client.GetFolder(client.PersonalNamespaces[0]);
        var work = await personal.CreateAsync("Work", true);
        var renamed = work;
        await renamed!.RenameAsync(personal, "Job");
        await renamed.SubscribeAsync();
        Assert.Contains(await personal.GetSubfoldersAsync(false), f => f.Name == "Job");

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Bob", "bob@example.test"));
        message.To.Add(new MailboxAddress("Alice", "alice@example.test"));
        message.Subject = "Quarterly report";
        var body = new Multipart("mixed") { new TextPart("plain") { Text = "numbers inside" }, new TextPart("html") { Text = "<b>numbers</b>" } };
        message.Body = body;
        var inbox = client.Inbox;
        var uid = await inbox.AppendAsync(message, MessageFlags.None);
        Assert.NotNull(uid);

        await inbox.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(1, inbox.Count);
        var summaries = await inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope | MessageSummaryItems.BodyStructure | MessageSummaryItems.UniqueId | MessageSummaryItems.Flags);
        var summary = Assert.Single(summaries);
        Assert.Equal("Quarterly report", summary.Envelope!.Subject);
        Assert.Equal("bob@example.test", summary.Envelope.From.Mailboxes.Single().Address);
        var text = summary.TextBody!;
        Assert.NotNull(text);
        var part = (TextPart)await inbox.GetBodyPartAsync(summary.UniqueId, text);
        Assert.Equal("numbers inside", part.Text!.TrimEnd());
        var full = await inbox.GetMessageAsync(summary.UniqueId);
        Assert.Equal("Quarterly report", full.Subject);

        Assert.Single(await inbox.SearchAsync(SearchQuery.SubjectContains("quarterly")));
        Assert.Empty(await inbox.SearchAsync(SearchQuery.SubjectContains("nothing")));
        await inbox.AddFlagsAsync(summary.UniqueId, MessageFlags.Flagged, true);
        Assert.Single(await inbox.SearchAsync(SearchQuery.Flagged));

        // IDLE: a second client appends; the first sees the new message while idling.
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var arrived = new TaskCompletionSource();
        inbox.CountChanged += (_, _) => arrived.TrySetResult();
        var idle = client.IdleAsync(done.Token);
        using (var second = await ConnectAsync(server, "SCRAM-SHA-256"))
        {
            await second.Inbox.AppendAsync(new MimeMessage(new[] { new MailboxAddress("C", "c@example.test") }, Array.Empty<InternetAddress>(), "second", new TextPart("plain") { Text = "x" }));
            await second.DisconnectAsync(true);
        }

        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await done.CancelAsync();
        await idle;
        Assert.Equal(2, inbox.Count);

        var moved = await inbox.MoveToAsync(summary.UniqueId, renamed);
        Assert.NotNull(moved);
        Assert.Equal(1, inbox.Count);

        // No limits are configured: the INBOX has no quota root, which MailKit reports as no quota.
        var quota = await client.Inbox.GetQuotaAsync();
        Assert.True(quota is null || (quota.StorageLimit is null && quota.MessageLimit is null));
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Condstore_and_qresync_resynchronise()
    {
        await using var server = await ImapTestServer.StartAsync();
        await server.AddUserAsync("alice", "Secret-Pass-1");
        using var client = await ConnectAsync(server, "PLAIN");
        await client.EnableQuickResyncAsync();
        var inbox = client.Inbox;
        for (var i = 0; i < 3; i++)
        {
            await inbox.AppendAsync(new MimeMessage(new[] { new MailboxAddress("B", "b@example.test") }, Array.Empty<InternetAddress>(), "m" + i, new TextPart("plain") { Text = "x" }));
        }

        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var validity = inbox.UidValidity;
        var modSeq = inbox.HighestModSeq;
        var uids = await inbox.SearchAsync(SearchQuery.All);
        await inbox.CloseAsync();

        using (var other = await ConnectAsync(server, "PLAIN"))
        {
            await other.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await other.Inbox.AddFlagsAsync(uids[0], MessageFlags.Seen, true);
            await other.Inbox.AddFlagsAsync(uids[1], MessageFlags.Deleted, true);
            await other.Inbox.ExpungeAsync();
            await other.DisconnectAsync(true);
        }

        var vanished = new List<UniqueId>();
        var changed = new List<int>();
        inbox.MessagesVanished += (_, e) => vanished.AddRange(e.UniqueIds);
        inbox.MessageFlagsChanged += (_, e) => changed.Add(e.Index);
        await inbox.OpenAsync(FolderAccess.ReadWrite, validity, modSeq, uids);
        Assert.Equal([uids[1]], vanished);
        Assert.NotEmpty(changed);
        Assert.True(inbox.HighestModSeq > modSeq);
        await client.DisconnectAsync(true);
    }
}
