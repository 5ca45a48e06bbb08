using System.Text;
using MailKit.Net.Pop3;
using MailKit.Security;
using Rampart.Pop3.Tests.Support;

namespace Rampart.Pop3.Tests.Interop;

/// <summary>MailKit's <see cref="Pop3Client"/> against <c>rampart serve</c>: pop3s and STLS, USER/PASS and SASL,
/// capabilities, sizes, TOP, UIDL, DELE at QUIT.</summary>
[Collection(RampartServerCollection.Name)]
public sealed class MailKitTests(RampartServer server)
{
    internal static Pop3Client NewClient(Stream? log = null)
    {
        var client = log is null ? new Pop3Client() : new Pop3Client(new MailKit.ProtocolLogger(log, leaveOpen: true));
        client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        return client;
    }

    [Fact]
    public async Task Pop3s_login_stat_list_retr_top_uidl()
    {
        using var client = NewClient();
        await client.ConnectAsync("127.0.0.1", server.Pop3sPort, SecureSocketOptions.SslOnConnect);
        Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.UIDL));
        Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.Top));
        Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.Pipelining));
        Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.ResponseCodes));
        Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.UTF8));
        Assert.Contains("SCRAM-SHA-256-PLUS", client.AuthenticationMechanisms);
        Assert.Equal("Rampart", client.Implementation);
        Assert.Equal(-1, client.ExpirePolicy); // NEVER
        client.AuthenticationMechanisms.Clear(); // USER/PASS
        await client.AuthenticateAsync("mailkit", RampartServer.Password);
        Assert.Equal(3, client.Count);

        var sizes = await client.GetMessageSizesAsync();
        var uids = await client.GetMessageUidsAsync();
        Assert.Equal(3, uids.Distinct().Count());
        for (var i = 0; i < 3; i++)
        {
            using var raw = await client.GetStreamAsync(i);
            using var copy = new MemoryStream();
            await raw.CopyToAsync(copy);
            var bytes = copy.ToArray();
            // RETR sends CRLF line ends and LIST counted exactly those octets (the stored message has bare LFs).
            Assert.Equal(sizes[i], bytes.Length);
            var text = Encoding.UTF8.GetString(bytes);
            Assert.DoesNotContain("\r\r", text);
            Assert.Equal(text.Split('\n').Length - 1, text.Split("\r\n").Length - 1);
            Assert.Equal(RampartServer.Message("mailkit", i + 1).Replace("\n", "\r\n"), text);

            var message = await client.GetMessageAsync(i);
            Assert.Equal($"message {i + 1} for mailkit", message.Subject);
            Assert.Contains(".a line with a leading dot", message.TextBody ?? "");
            Assert.Contains("\n..and two", (message.TextBody ?? "").Replace("\r\n", "\n"));
        }

        var headers = await client.GetMessageHeadersAsync(0);
        Assert.Equal("message 1 for mailkit", headers["Subject"]);
        await client.DisconnectAsync(quit: true);

        // UIDL values stay the same in the next session.
        using var again = NewClient();
        await again.ConnectAsync("127.0.0.1", server.Pop3sPort, SecureSocketOptions.SslOnConnect);
        await again.AuthenticateAsync("mailkit", RampartServer.Password);
        Assert.Equal(uids, await again.GetMessageUidsAsync());
        await again.DisconnectAsync(quit: true);
    }

    [Fact]
    public async Task Stls_then_scram_plus_and_dele_applies_at_quit_only()
    {
        using (var client = NewClient())
        {
            await client.ConnectAsync("127.0.0.1", server.Pop3Port, SecureSocketOptions.StartTls);
            Assert.True(client.IsSecure);
            Assert.Contains("SCRAM-SHA-256-PLUS", client.AuthenticationMechanisms);
            await client.AuthenticateAsync(new SaslMechanismScramSha256Plus(new System.Net.NetworkCredential("mailkitdele", RampartServer.Password)));
            Assert.Equal(3, client.Count);
            await client.DeleteMessageAsync(0);
            // Dropped without QUIT: nothing is deleted.
            await client.DisconnectAsync(quit: false);
        }

        using (var client = NewClient())
        {
            await client.ConnectAsync("127.0.0.1", server.Pop3Port, SecureSocketOptions.StartTls);
            await LoginRetryingWhileInUseAsync(client, "mailkitdele");
            Assert.Equal(3, client.Count);
            var uids = await client.GetMessageUidsAsync();
            await client.DeleteMessageAsync(0);
            await client.DisconnectAsync(quit: true);

            using var after = NewClient();
            await after.ConnectAsync("127.0.0.1", server.Pop3sPort, SecureSocketOptions.SslOnConnect);
            await after.AuthenticateAsync("mailkitdele", RampartServer.Password);
            Assert.Equal(2, after.Count);
            Assert.Equal(uids.Skip(1), await after.GetMessageUidsAsync());
            await after.DisconnectAsync(quit: true);
        }
    }

    [Fact]
    public async Task Wrong_password_is_an_authentication_error_and_the_second_session_is_in_use()
    {
        using (var failing = NewClient())
        {
            await failing.ConnectAsync("127.0.0.1", server.Pop3sPort, SecureSocketOptions.SslOnConnect);
            await Assert.ThrowsAsync<AuthenticationException>(() => failing.AuthenticateAsync(new SaslMechanismPlain("mailkitauth", "wrong-password")));
        }

        using var client = NewClient();
        await client.ConnectAsync("127.0.0.1", server.Pop3sPort, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(new SaslMechanismScramSha256(new System.Net.NetworkCredential("mailkitauth", RampartServer.Password)));

        using var log = new MemoryStream();
        using var second = NewClient(log);
        await second.ConnectAsync("127.0.0.1", server.Pop3sPort, SecureSocketOptions.SslOnConnect);
        await Assert.ThrowsAsync<AuthenticationException>(() => second.AuthenticateAsync(new SaslMechanismPlain("mailkitauth", RampartServer.Password)));
        Assert.Contains("-ERR [IN-USE] Maildrop is in use by another POP3 session", Encoding.UTF8.GetString(log.ToArray()), StringComparison.Ordinal);
        await client.DisconnectAsync(quit: true);
    }

    /// <summary>The server notices a dropped connection when its read ends; until then the maildrop is [IN-USE]
    /// and the client may try again on the same connection (it stays in AUTHORIZATION).</summary>
    internal static async Task LoginRetryingWhileInUseAsync(Pop3Client client, string account)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await client.AuthenticateAsync(new SaslMechanismPlain(account, RampartServer.Password));
                return;
            }
            catch (Pop3CommandException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }
}
