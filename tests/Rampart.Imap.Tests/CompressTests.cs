using System.IO.Compression;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using Rampart.Imap.Tests.TestSupport;

namespace Rampart.Imap.Tests;

/// <summary>COMPRESS=DEFLATE (RFC 4978): off and refused by default (SECURITY.md), and when an admin enables it,
/// raw deflate in both directions that a real client (MailKit) uses for a whole session.</summary>
public sealed class CompressTests
{
    [Fact]
    public async Task Not_advertised_and_refused_by_default()
    {
        await using var server = await ImapTestServer.StartAsync();
        await server.AddUserAsync("alice", "Secret-Pass-1");
        using var client = await ConnectAsync(server);
        Assert.False(client.Capabilities.HasFlag(ImapCapabilities.Compress));
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task MailKit_runs_a_whole_session_compressed_when_enabled()
    {
        await using var server = await ImapTestServer.StartAsync(new ImapServerOptions { Compress = true });
        await server.AddUserAsync("alice", "Secret-Pass-1");
        using var client = await ConnectAsync(server);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Compress));
        await client.CompressAsync();

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Bob", "bob@example.test"));
        message.To.Add(new MailboxAddress("Alice", "alice@example.test"));
        message.Subject = "Compressed both ways";
        message.Body = new TextPart("plain") { Text = string.Concat(Enumerable.Repeat("a line that deflates well\r\n", 2000)) };
        var uid = await client.Inbox.AppendAsync(message, MessageFlags.Seen);
        Assert.NotNull(uid);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        var fetched = await client.Inbox.GetMessageAsync(uid.Value);
        Assert.Equal("Compressed both ways", fetched.Subject);
        Assert.Equal(((TextPart)message.Body).Text, ((TextPart)fetched.Body!).Text);
        var summaries = await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope | MessageSummaryItems.Flags);
        Assert.Equal("Compressed both ways", Assert.Single(summaries).Envelope!.Subject);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Before_login_it_is_unknown_and_a_second_compress_gets_compressionactive()
    {
        await using var server = await ImapTestServer.StartAsync(new ImapServerOptions { Compress = true });
        await server.AddUserAsync("alice", "Secret-Pass-1");
        var port = await server.TlsPortAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" });
        var plain = new LineClient(ssl);
        Assert.StartsWith("* OK", await plain.ReadLineAsync());
        await plain.SendAsync("a1 COMPRESS DEFLATE\r\n");
        Assert.StartsWith("a1 BAD", await plain.ReadLineAsync());
        await plain.SendAsync("a2 LOGIN alice Secret-Pass-1\r\n");
        Assert.StartsWith("a2 OK", await plain.ReadLineAsync());
        await plain.SendAsync("a3 COMPRESS DEFLATE\r\n");
        Assert.Equal("a3 OK DEFLATE active", await plain.ReadLineAsync());

        // From here on, raw deflate (no zlib header) in both directions, one sync flush per command.
        await using var deflater = new DeflateStream(ssl, CompressionLevel.Optimal, leaveOpen: true);
        await using var inflater = new DeflateStream(ssl, CompressionMode.Decompress, leaveOpen: true);
        var compressed = new LineClient(inflater);
        async Task SendAsync(string text)
        {
            await deflater.WriteAsync(Encoding.ASCII.GetBytes(text));
            await deflater.FlushAsync();
        }

        await SendAsync("a4 COMPRESS DEFLATE\r\n");
        Assert.Equal("a4 NO [COMPRESSIONACTIVE] DEFLATE is already active", await compressed.ReadLineAsync());
        await SendAsync("a5 NOOP\r\n");
        Assert.Equal("a5 OK NOOP completed", await compressed.ReadLineAsync());
        await SendAsync("a6 LOGOUT\r\n");
        Assert.StartsWith("* BYE", await compressed.ReadLineAsync());
        Assert.Equal("a6 OK LOGOUT completed", await compressed.ReadLineAsync());
    }

    private static async Task<ImapClient> ConnectAsync(ImapTestServer server)
    {
        var port = await server.TlsPortAsync();
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.SslOnConnect);
        client.AuthenticationMechanisms.RemoveWhere(m => m != "PLAIN");
        await client.AuthenticateAsync("alice", "Secret-Pass-1");
        return client;
    }
}
