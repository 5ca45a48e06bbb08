using System.Text;
using Rampart.Smtp.Tests.Support;
using Rampart.Smtp.Tests.Transcripts;

namespace Rampart.Smtp.Tests.Interop;

/// <summary>A message accepted for some recipients while the store refuses another at the end of DATA (RFC 5321 §6.1:
/// the refused part must not be dropped): the one reply is 250, the refused recipient goes to the outbound queue with
/// its account, <c>+tag</c> mailbox and DSN parameters, and the queue retries or reports it as
/// <c>Smtp:OverQuotaTemporary</c> says — one DSN (RFC 3464) with the ORCPT (RFC 3461 §4.2), nothing stored twice.</summary>
public sealed class PartialDeliveryTests(PermanentQuotaServer server) : IClassFixture<PermanentQuotaServer>
{
    [Fact]
    public async Task A_recipient_refused_at_DATA_gets_one_DSN_while_the_others_are_delivered_once()
    {
        await using var session = await QuotaConversation.SubmitAsync(server.Port("submissions"));
        // No SIZE= at MAIL: the RCPT check sees room (1 KiB free), the 2 KB message does not fit at DATA.
        await session.CommandAsync("MAIL FROM:<sender@example.test> RET=HDRS ENVID=partial-1", "250 2.1.0");
        await session.CommandAsync("RCPT TO:<ok@example.test>", "250 2.1.5");
        await session.CommandAsync("RCPT TO:<full+tagged@example.test> NOTIFY=FAILURE ORCPT=rfc822;first+2Bcontact@example.test", "250 2.1.5");
        await session.CommandAsync("DATA", "354 ");
        await session.CommandAsync(QuotaConversation.Message("partial one", 2000) + ".", "250 2.0.0 Message accepted");

        var report = Assert.Single(await server.WaitForMessagesAsync("sender", 1));
        Assert.Contains("Final-Recipient: rfc822; full+tagged@example.test", report, StringComparison.Ordinal);
        Assert.Contains("Original-Recipient: rfc822;first+contact@example.test", report, StringComparison.Ordinal);
        Assert.Contains("Original-Envelope-Id: partial-1", report, StringComparison.Ordinal);
        Assert.Contains("Status: 5.2.2", report, StringComparison.Ordinal);
        Assert.DoesNotContain("ok@example.test", report.Split("Final-Recipient")[1..].Aggregate("", string.Concat), StringComparison.Ordinal);

        Assert.Single(await server.ReadMailboxAsync("ok"));
        Assert.Empty(await server.ReadMailboxAsync("full"));
        Assert.Empty(await server.ReadMailboxAsync("full", "tagged"));
        Assert.DoesNotContain(server.QueueEnvelopes(), e => e.Contains("tagged@example.test", StringComparison.Ordinal));

        // Nothing more arrives later: one DSN, one copy.
        await Task.Delay(1500);
        Assert.Single(await server.ReadMailboxAsync("sender"));
        Assert.Single(await server.ReadMailboxAsync("ok"));
    }

    [Fact]
    public async Task When_every_local_recipient_is_refused_the_reply_says_why_and_nothing_is_queued()
    {
        await using var session = await QuotaConversation.SubmitAsync(server.Port("submissions"));
        await session.CommandAsync("MAIL FROM:<sender@example.test>", "250 2.1.0");
        await session.CommandAsync("RCPT TO:<full@example.test>", "250 2.1.5");
        await session.CommandAsync("DATA", "354 ");
        await session.CommandAsync(QuotaConversation.Message("refused", 2000) + ".", "552 5.2.2");
        Assert.DoesNotContain(server.QueueEnvelopes(), e => e.Contains("full@example.test", StringComparison.Ordinal));
        Assert.Empty(await server.ReadMailboxAsync("full"));
    }

    [Fact]
    public async Task SIZE_over_the_room_left_is_refused_at_RCPT_with_552_on_smtp_and_lmtp()
    {
        await using var smtp = await QuotaConversation.InboundAsync(server.Port("smtp"));
        await smtp.CommandAsync("MAIL FROM:<someone@remote.test> SIZE=4096", "250 2.1.0");
        await smtp.CommandAsync("RCPT TO:<full@example.test>", "552 5.2.2");

        await using var lmtp = await QuotaConversation.LmtpAsync(server.Port("lmtp"));
        await lmtp.CommandAsync("MAIL FROM:<someone@remote.test> SIZE=4096", "250 2.1.0");
        await lmtp.CommandAsync("RCPT TO:<full@example.test>", "552 5.2.2");
        await lmtp.CommandAsync("RCPT TO:<ok@example.test>", "250 2.1.5");
    }
}

/// <summary>The same flow with <c>Smtp:OverQuotaTemporary=true</c>: 452 4.2.2 at RCPT for a declared SIZE= that does not
/// fit (RFC 1870 §6.3), and a recipient refused at DATA stays queued (4.2.2) instead of bouncing.</summary>
public sealed class TemporaryQuotaFlowTests(TemporaryQuotaServer server) : IClassFixture<TemporaryQuotaServer>
{
    [Fact]
    public async Task SIZE_over_the_room_left_is_refused_at_RCPT_with_452_on_smtp_and_lmtp()
    {
        await using var smtp = await QuotaConversation.InboundAsync(server.Port("smtp"));
        await smtp.CommandAsync("MAIL FROM:<someone@remote.test> SIZE=4096", "250 2.1.0");
        await smtp.CommandAsync("RCPT TO:<full@example.test>", "452 4.2.2");
        await smtp.CommandAsync("RCPT TO:<ok@example.test>", "250 2.1.5");

        await using var lmtp = await QuotaConversation.LmtpAsync(server.Port("lmtp"));
        await lmtp.CommandAsync("MAIL FROM:<someone@remote.test> SIZE=4096", "250 2.1.0");
        await lmtp.CommandAsync("RCPT TO:<full@example.test>", "452 4.2.2");
    }

    [Fact]
    public async Task LMTP_answers_452_after_DATA_for_the_full_recipient_and_250_for_the_other()
    {
        // No SIZE=: LMTP weighs the quota after DATA, one reply per recipient (RFC 2033 §4.2).
        await using var lmtp = await QuotaConversation.LmtpAsync(server.Port("lmtp"));
        await lmtp.CommandAsync("MAIL FROM:<someone@remote.test>", "250 2.1.0");
        await lmtp.CommandAsync("RCPT TO:<full@example.test>", "250 2.1.5");
        await lmtp.CommandAsync("RCPT TO:<ok@example.test>", "250 2.1.5");
        await lmtp.CommandAsync("DATA", "354 ");
        await lmtp.CommandAsync(QuotaConversation.Message("lmtp temporary", 2000) + ".", "452 4.2.2 <full@example.test>");
        await lmtp.ExpectAsync("250 2.1.5 <ok@example.test>");
        Assert.Empty(await server.ReadMailboxAsync("full"));
        Assert.DoesNotContain(server.QueueEnvelopes(), e => e.Contains("\"full@example.test\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_recipient_refused_at_DATA_stays_queued_and_the_sender_gets_no_DSN_yet()
    {
        // "ok" may hold the other tests' messages already.
        var before = (await server.ReadMailboxAsync("ok")).Count;
        await using var session = await QuotaConversation.SubmitAsync(server.Port("submissions"));
        await session.CommandAsync("MAIL FROM:<sender@example.test>", "250 2.1.0");
        await session.CommandAsync("RCPT TO:<ok@example.test>", "250 2.1.5");
        await session.CommandAsync("RCPT TO:<full+tagged@example.test>", "250 2.1.5");
        await session.CommandAsync("DATA", "354 ");
        await session.CommandAsync(QuotaConversation.Message("partial two", 2000) + ".", "250 2.0.0 Message accepted");

        Assert.Equal(before + 1, (await server.WaitForMessagesAsync("ok", before + 1)).Count);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? envelope = null;
        while (envelope is null && DateTime.UtcNow < deadline)
        {
            // Pending with the temporary status once the worker has tried it.
            envelope = server.QueueEnvelopes().FirstOrDefault(e => e.Contains("tagged@example.test", StringComparison.Ordinal) && e.Contains("4.2.2", StringComparison.Ordinal));
            await Task.Delay(100);
        }

        Assert.True(envelope is not null, "queue: " + string.Join("\n", server.QueueEnvelopes()) + "\nserver: " + server.ServerErrors);
        Assert.Contains("\"Mailbox\":\"tagged\"", envelope, StringComparison.Ordinal);
        Assert.Empty(await server.ReadMailboxAsync("sender"));
        Assert.Empty(await server.ReadMailboxAsync("full", "tagged"));
    }
}

/// <summary>A raw SMTP/LMTP conversation that checks each reply's start (continuation lines skipped).</summary>
internal sealed class QuotaConversation : IAsyncDisposable
{
    private readonly TranscriptConnection connection;

    private QuotaConversation(TranscriptConnection connection) => this.connection = connection;

    public static async Task<QuotaConversation> SubmitAsync(int port)
    {
        var session = new QuotaConversation(await TranscriptConnection.ConnectAsync(port, implicitTls: true));
        await session.ExpectAsync("220 ");
        await session.CommandAsync("EHLO client.test", "250 ");
        var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0sender\0" + SmtpServer.Password));
        await session.CommandAsync("AUTH PLAIN " + plain, "235 ");
        return session;
    }

    public static async Task<QuotaConversation> InboundAsync(int port)
    {
        var session = new QuotaConversation(await TranscriptConnection.ConnectAsync(port, implicitTls: false));
        await session.ExpectAsync("220 ");
        await session.CommandAsync("EHLO client.test", "250 ");
        return session;
    }

    public static async Task<QuotaConversation> LmtpAsync(int port)
    {
        var session = new QuotaConversation(await TranscriptConnection.ConnectAsync(port, implicitTls: false));
        await session.ExpectAsync("220 ");
        await session.CommandAsync("LHLO mta.test", "250 ");
        return session;
    }

    /// <summary>A message of about <paramref name="size"/> octets, ending in CRLF.</summary>
    public static string Message(string subject, int size)
    {
        var text = new StringBuilder($"From: sender@example.test\r\nSubject: {subject}\r\n\r\n");
        while (text.Length < size)
        {
            text.Append(new string('x', 70)).Append("\r\n");
        }

        return text.ToString();
    }

    public async Task CommandAsync(string line, string expected)
    {
        await connection.SendAsync(Encoding.UTF8.GetBytes(line + "\r\n"));
        await ExpectAsync(expected);
    }

    public async Task ExpectAsync(string expected)
    {
        string? line;
        do
        {
            line = await connection.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        while (line is { Length: > 3 } && line[3] == '-');

        Assert.True(line is not null && line.StartsWith(expected, StringComparison.Ordinal), $"expected '{expected}…', got '{line}'");
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
