using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Rampart.Pop3.Tests.Support;

namespace Rampart.Pop3.Tests.Interop;

/// <summary><c>rampart user pop3</c> against a running <c>rampart serve</c>: per-account retention (EXPIRE, RFC 2449
/// §6.7) applied at QUIT and seen over IMAP, and POP3 switched off for one account.</summary>
[Collection(RampartServerCollection.Name)]
public sealed class AccountSettingsTests(RampartServer server)
{
    [Fact]
    public async Task Delete_after_download_removes_what_retr_sent_at_quit_and_imap_sees_it()
    {
        var shown = await server.CliAsync("", "user", "pop3", "retdelete", "--retention", "delete");
        Assert.Contains("retdelete: pop3 enabled, retention delete after download (EXPIRE 0)", shown, StringComparison.Ordinal);

        using var log = new MemoryStream();
        using (var client = MailKitTests.NewClient(log))
        {
            await client.ConnectAsync("127.0.0.1", server.Pop3sPort, SecureSocketOptions.SslOnConnect);
            await client.AuthenticateAsync("retdelete", RampartServer.Password);
            Assert.Equal(3, client.Count);
            var message = await client.GetMessageAsync(1);
            Assert.Equal("message 2 for retdelete", message.Subject);
            await client.GetMessageHeadersAsync(0); // TOP is not a download
            await client.DisconnectAsync(quit: true);
        }

        var transcript = Encoding.UTF8.GetString(log.ToArray());
        Assert.Contains("EXPIRE NEVER USER", transcript, StringComparison.Ordinal);
        Assert.Contains("(1 messages deleted)", transcript, StringComparison.Ordinal);

        using var imap = new ImapClient();
        imap.ServerCertificateValidationCallback = (_, _, _, _) => true;
        await imap.ConnectAsync("127.0.0.1", server.ImapsPort, SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync("retdelete", RampartServer.Password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var subjects = (await imap.Inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope)).Select(m => m.Envelope!.Subject);
        Assert.Equal(["message 1 for retdelete", "message 3 for retdelete"], subjects);
        await imap.DisconnectAsync(quit: true);
    }

    [Fact]
    public async Task Keep_days_is_advertised_after_login_and_keeps_fresh_mail()
    {
        await server.CliAsync("", "user", "pop3", "retdays", "--retention", "days:5");
        using var log = new MemoryStream();
        using var client = MailKitTests.NewClient(log);
        await client.ConnectAsync("127.0.0.1", server.Pop3sPort, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync("retdays", RampartServer.Password);
        // MailKit asks CAPA again after login; the account's policy is what it sees then.
        Assert.Equal(5, client.ExpirePolicy);
        await client.GetMessageAsync(0);
        await client.DisconnectAsync(quit: true);
        Assert.Contains("(0 messages deleted)", Encoding.UTF8.GetString(log.ToArray()), StringComparison.Ordinal);

        // Back to the server's default.
        var shown = await server.CliAsync("", "user", "pop3", "retdays", "--retention", "default");
        Assert.Contains("retention server default", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pop3_switched_off_refuses_the_right_password_with_sys_perm_and_a_wrong_one_with_the_generic_failure()
    {
        await server.CliAsync("", "user", "pop3", "popoff", "--disable");
        using (var log = new MemoryStream())
        {
            using (var client = MailKitTests.NewClient(log))
            {
                await client.ConnectAsync("127.0.0.1", server.Pop3sPort, SecureSocketOptions.SslOnConnect);
                client.AuthenticationMechanisms.Clear(); // USER/PASS
                await Assert.ThrowsAnyAsync<Exception>(() => client.AuthenticateAsync("popoff", "Wrong-password-1"));
                await Assert.ThrowsAnyAsync<Exception>(() => client.AuthenticateAsync("popoff", RampartServer.Password));
            }

            var transcript = Encoding.UTF8.GetString(log.ToArray());
            Assert.Contains("-ERR [AUTH] Authentication failed", transcript, StringComparison.Ordinal);
            Assert.Contains("-ERR [SYS/PERM] POP3 is disabled for this account", transcript, StringComparison.Ordinal);
        }

        // IMAP is not affected, and --enable lets POP3 in again.
        using (var imap = new ImapClient())
        {
            imap.ServerCertificateValidationCallback = (_, _, _, _) => true;
            await imap.ConnectAsync("127.0.0.1", server.ImapsPort, SecureSocketOptions.SslOnConnect);
            await imap.AuthenticateAsync("popoff", RampartServer.Password);
            await imap.DisconnectAsync(quit: true);
        }

        await server.CliAsync("", "user", "pop3", "popoff", "--enable");
        using var again = MailKitTests.NewClient();
        await again.ConnectAsync("127.0.0.1", server.Pop3sPort, SecureSocketOptions.SslOnConnect);
        await again.AuthenticateAsync("popoff", RampartServer.Password);
        Assert.Equal(3, again.Count);
        await again.DisconnectAsync(quit: true);
    }
}
