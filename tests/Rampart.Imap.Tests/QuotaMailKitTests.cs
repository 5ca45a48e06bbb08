using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using Rampart.Imap.Tests.TestSupport;
using Rampart.Store.Quota;

namespace Rampart.Imap.Tests;

/// <summary>MailKit against a real session over TLS: the quota an admin set (RFC 9208 GETQUOTAROOT) and APPEND over it.</summary>
public sealed class QuotaMailKitTests
{
    [Fact]
    public async Task Reports_the_limit_and_refuses_an_append_over_it_with_overquota()
    {
        await using var server = await ImapTestServer.StartAsync();
        await server.AddUserAsync("alice", "Secret-Pass-1");
        var account = (await server.Store.FindAccountAsync("alice"))!;
        await AccountQuotaSettings.WriteAsync(server.Store, account.Id, new AccountQuotaSettings { StorageKiB = 2, Messages = 10 }, CancellationToken.None);

        using var log = new MemoryStream();
        using var client = new ImapClient(new ProtocolLogger(log, leaveOpen: true)) { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", await server.TlsPortAsync(), SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync("alice", "Secret-Pass-1");
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Quota));

        var small = new MimeMessage { Subject = "fits", Body = new TextPart("plain") { Text = "short" } };
        small.From.Add(MailboxAddress.Parse("bob@example.org"));
        await client.Inbox.AppendAsync(small);

        var quota = await client.Inbox.GetQuotaAsync();
        Assert.NotNull(quota);
        Assert.Equal(2u, quota.StorageLimit);
        Assert.Equal(10u, quota.MessageLimit);
        Assert.Equal(1u, quota.CurrentMessageCount);

        var big = new MimeMessage { Subject = "too big", Body = new TextPart("plain") { Text = new string('x', 4096) } };
        big.From.Add(MailboxAddress.Parse("bob@example.org"));
        var refused = await Assert.ThrowsAsync<ImapCommandException>(() => client.Inbox.AppendAsync(big));
        Assert.Equal(ImapCommandResponse.No, refused.Response);
        // MailKit keeps the text, not the code: the wire shows it.
        Assert.Contains(" NO [OVERQUOTA] ", System.Text.Encoding.UTF8.GetString(log.ToArray()), StringComparison.Ordinal);

        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(1, client.Inbox.Count);
        await client.DisconnectAsync(true);
    }
}
