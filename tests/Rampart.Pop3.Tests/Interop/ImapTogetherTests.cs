using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Security;
using Rampart.Pop3.Tests.Support;

namespace Rampart.Pop3.Tests.Interop;

/// <summary>IMAP and POP3 on one <c>rampart serve</c>: the maildrop is the IMAP INBOX, a POP3 DELE takes effect at QUIT
/// and an IMAP session in IDLE sees it as EXPUNGE; a dropped POP3 session deletes nothing (RFC 1939 §6).</summary>
[Collection(RampartServerCollection.Name)]
public sealed class ImapTogetherTests(RampartServer server)
{
    [Fact]
    public async Task Pop3_dele_and_quit_is_seen_as_expunge_by_an_imap_session_in_idle_and_a_dropped_session_deletes_nothing()
    {
        using var imap = new ImapClient();
        imap.ServerCertificateValidationCallback = (_, _, _, _) => true;
        await imap.ConnectAsync("127.0.0.1", server.ImapsPort, SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync("together", RampartServer.Password);
        var inbox = imap.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(3, inbox.Count);
        var subjects = (await inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope)).Select(m => m.Envelope!.Subject).ToArray();
        var expunged = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        inbox.MessageExpunged += (_, e) => expunged.TrySetResult(e.Index);
        using var done = new CancellationTokenSource();
        var idle = imap.IdleAsync(done.Token);

        // DELE, then the connection drops without QUIT: the mark is forgotten.
        using (var dropped = MailKitTests.NewClient())
        {
            await dropped.ConnectAsync("127.0.0.1", server.Pop3sPort, SecureSocketOptions.SslOnConnect);
            await dropped.AuthenticateAsync("together", RampartServer.Password);
            await dropped.DeleteMessageAsync(0);
            await dropped.DisconnectAsync(quit: false);
        }

        using var pop3 = MailKitTests.NewClient();
        await pop3.ConnectAsync("127.0.0.1", server.Pop3sPort, SecureSocketOptions.SslOnConnect);
        await MailKitTests.LoginRetryingWhileInUseAsync(pop3, "together");
        Assert.Equal(3, pop3.Count);
        await pop3.DeleteMessageAsync(0);
        // RFC 1939 §6: nothing is removed before QUIT.
        Assert.False(expunged.Task.IsCompleted);
        await pop3.DisconnectAsync(quit: true);

        Assert.Equal(0, await expunged.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await done.CancelAsync();
        await idle;
        Assert.Equal(2, inbox.Count);
        var left = (await inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope)).Select(m => m.Envelope!.Subject);
        Assert.Equal(subjects.Skip(1), left);
        await imap.DisconnectAsync(quit: true);
    }
}
