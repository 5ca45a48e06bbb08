using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Rampart.Smtp.Tests.Support;

namespace Rampart.Smtp.Tests.Interop;

/// <summary>MailKit's SmtpClient against <c>rampart serve</c>: submission over implicit TLS (465, RFC 8314) with SASL
/// PLAIN and SCRAM-SHA-256, over STARTTLS (587), and inbound on 25; each message is read back over IMAP.</summary>
[Collection(SmtpServerCollection.Name)]
public sealed class MailKitSubmissionTests(SmtpServer server)
{
    private static MimeMessage Message(string from, string to, string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Grüße aus der Test-Suite.\n.leading dot\n" };
        return message;
    }

    private static SmtpClient Client() => new() { ServerCertificateValidationCallback = (_, _, _, _) => true };

    [Theory]
    [InlineData("mkplain", "PLAIN")]
    [InlineData("mkscram", "SCRAM-SHA-256")]
    public async Task Submits_over_implicit_tls_and_the_message_arrives(string account, string mechanism)
    {
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", server.Port("submissions"), SecureSocketOptions.SslOnConnect);
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Pipelining));
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Chunking));
        Assert.Contains(mechanism, client.AuthenticationMechanisms);
        client.AuthenticationMechanisms.RemoveWhere(m => m != mechanism);
        await client.AuthenticateAsync(account, SmtpServer.Password);
        var subject = $"mailkit {mechanism}";
        await client.SendAsync(Message($"{account}@example.test", "inboxa@example.test", subject));
        await client.DisconnectAsync(true);

        var received = await server.ReadMailboxAsync("inboxa");
        var text = Assert.Single(received, m => m.Contains(subject, StringComparison.Ordinal));
        Assert.Contains("with ESMTPSA id", text, StringComparison.Ordinal);
        Assert.Contains(".leading dot", text, StringComparison.Ordinal);

        // Smtp:SaveToSent is on in the test server: the sender's Sent mailbox holds the copy.
        Assert.Contains(await server.ReadMailboxAsync(account, "Sent"), m => m.Contains(subject, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submits_over_starttls_on_587()
    {
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", server.Port("submission"), SecureSocketOptions.StartTls);
        await client.AuthenticateAsync("mkplain", SmtpServer.Password);
        await client.SendAsync(Message("mkplain@example.test", "alias-b@example.test", "mailkit starttls"));
        await client.DisconnectAsync(true);
        Assert.Contains(await server.ReadMailboxAsync("inboxb"), m => m.Contains("mailkit starttls", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mail_for_a_remote_domain_is_accepted_into_the_outbound_queue()
    {
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", server.Port("submissions"), SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync("remote1", SmtpServer.Password);
        // 250 comes only after the queue made the message durable (IOutboundQueue.EnqueueAsync returned).
        var reply = await client.SendAsync(Message("remote1@example.test", "someone@remote.invalid", "to the queue"));
        Assert.Contains("2.0.0 Message accepted", reply, StringComparison.Ordinal);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_535()
    {
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", server.Port("submissions"), SecureSocketOptions.SslOnConnect);
        var error = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("mkplain", "not-the-password"));
        Assert.Contains("5.7.8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sending_without_auth_is_refused_and_nothing_is_relayed()
    {
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", server.Port("submissions"), SecureSocketOptions.SslOnConnect);
        // MailKit turns 530 into ServiceNotAuthenticatedException.
        var error = await Assert.ThrowsAsync<MailKit.ServiceNotAuthenticatedException>(() => client.SendAsync(Message("mkplain@example.test", "victim@elsewhere.test", "relay")));
        Assert.Contains("5.7.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inbound_port_25_never_relays_even_with_starttls()
    {
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", server.Port("smtp"), SecureSocketOptions.StartTls);
        Assert.Empty(client.AuthenticationMechanisms);
        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Message("someone@remote.test", "victim@elsewhere.test", "relay")));
        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, error.ErrorCode);
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, error.StatusCode);

        // The same client may still deliver to a hosted account.
        await client.SendAsync(Message("someone@remote.test", "inboxb@example.test", "inbound over starttls"));
        await client.DisconnectAsync(true);
        Assert.Contains(await server.ReadMailboxAsync("inboxb"), m => m.Contains("inbound over starttls", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sending_rate_limit_answers_450_after_the_hourly_quota()
    {
        // The test server allows 3 messages per hour per account.
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", server.Port("submissions"), SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync("ratelimit", SmtpServer.Password);
        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync(Message("ratelimit@example.test", "ratelimit@example.test", $"rate {i}"));
        }

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Message("ratelimit@example.test", "ratelimit@example.test", "rate 4")));
        Assert.Equal((SmtpStatusCode)450, error.StatusCode);
        Assert.Equal(3, (await server.ReadMailboxAsync("ratelimit")).Count);
    }
}
