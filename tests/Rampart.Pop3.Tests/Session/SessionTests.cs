using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Pop3.Session;
using Rampart.Pop3.Tests.Support;
using Rampart.Pop3.Tests.Transcripts;
using Rampart.Store.Changes;
using Rampart.Store.Model;
using Rampart.Testing.Transcripts;

namespace Rampart.Pop3.Tests.Session;

/// <summary>Session behaviour that transcripts cannot show: the command table, store effects, timers, random input.</summary>
public sealed class SessionTests
{
    private const string Password = "Correct-Horse-42";

    [Fact]
    public void Every_command_has_a_handler_a_state_an_rfc_and_a_transcript()
    {
        var transcripts = string.Join('\n', Directory.GetFiles(TranscriptFiles.Directory, "*.txt").Select(File.ReadAllText));
        foreach (var (name, definition) in Pop3CommandTable.Commands)
        {
            Assert.Equal(name, definition.Name);
            Assert.NotNull(definition.Handler);
            Assert.NotEqual(Pop3State.None, definition.States);
            Assert.Equal(Pop3State.None, definition.States & Pop3State.Update); // RFC 1939 §6: no commands in UPDATE
            Assert.Matches(@"^RFC \d+ §\d+(\.\d+)*$", definition.Rfc);
            Assert.Matches($@"(?m)^\d+>>? {name}\b", transcripts);
        }

        // RFC 1939 §3 says which state each command belongs to.
        Assert.Equal(Pop3State.Authorization, Pop3CommandTable.Commands["USER"].States);
        Assert.Equal(Pop3State.Transaction, Pop3CommandTable.Commands["RETR"].States);
        Assert.All(["USER", "PASS", "AUTH", "APOP"], c => Assert.True(Pop3CommandTable.Commands[c].RequiresTls));
    }

    [Fact]
    public async Task Login_raises_the_idle_timeout_to_ten_minutes_and_marks_the_connection()
    {
        await using var environment = await TestMailEnvironment.CreateAsync();
        await environment.AddUserAsync("alice", Password);
        var (transport, session, client) = Start(environment.CreateServices());
        Assert.Equal(TimeSpan.FromSeconds(60), transport.IdleTimeout);
        await client.ExpectAsync("+OK*");
        await client.SendAsync("USER alice");
        await client.ExpectAsync("+OK*");
        await client.SendAsync("PASS " + Password);
        await client.ExpectAsync("+OK Logged in*");
        Assert.True(transport.Authenticated);
        Assert.True(transport.IdleTimeout >= TimeSpan.FromMinutes(10)); // RFC 1939 §3 autologout
        await client.SendAsync("QUIT");
        await client.ExpectAsync("+OK*");
        await session;
    }

    [Fact]
    public async Task Dele_and_quit_expunge_through_the_store_and_other_sessions_see_it()
    {
        await using var environment = await TestMailEnvironment.CreateAsync();
        await environment.AddUserAsync("alice", Password);
        var first = await environment.DeliverAsync("alice", "Subject: a\r\n\r\na\r\n");
        var second = await environment.DeliverAsync("alice", "Subject: b\r\n\r\nb\r\n");
        await using var imap = await environment.Store.OpenAccountAsync("alice");
        using var feed = imap.Subscribe();

        var (_, session, client) = Start(environment.CreateServices());
        await client.ExpectAsync("+OK*");
        await client.SendAsync("AUTH PLAIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice\0" + Password)));
        await client.ExpectAsync("+OK Logged in, 2 messages");
        await client.SendAsync("RETR 2");
        await client.ExpectAsync("+OK 17 octets");
        for (var i = 0; i < 4; i++)
        {
            await client.ReadLineAsync();
        }

        await client.SendAsync("DELE 1");
        await client.ExpectAsync("+OK Message 1 deleted");
        await client.SendAsync("QUIT");
        await client.ExpectAsync("+OK pop3.test Rampart POP3 server signing off (1 messages deleted)");
        await session;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        MessagesExpunged? expunged = null;
        while (expunged is null)
        {
            var change = await feed.Changes.ReadAsync(timeout.Token);
            expunged = change as MessagesExpunged;
        }

        Assert.Equal([first.Uid], expunged.Uids);
        var inbox = (await imap.GetMailboxAsync("INBOX"))!;
        Assert.Equal([second.Uid], await imap.ListUidsAsync(inbox.Id));
        // RETR left \Seen on the message it sent (the only flag change a POP3 session makes besides DELE).
        var summary = (await imap.FetchAsync(inbox.Id, UidSet.Of(second.Uid)))[0];
        Assert.True(summary.Flags.Has(SystemFlags.Seen));
    }

    [Fact]
    public async Task Retr_of_a_message_expunged_elsewhere_whose_bytes_are_gone_is_an_err_and_the_session_goes_on()
    {
        await using var environment = await TestMailEnvironment.CreateAsync();
        await environment.AddUserAsync("alice", Password);
        var first = await environment.DeliverAsync("alice", "Subject: gone\r\n\r\ngone\r\n");
        await environment.DeliverAsync("alice", "Subject: kept\r\n\r\nkept\r\n");
        var (_, session, client) = Start(environment.CreateServices());
        await client.ExpectAsync("+OK*");
        await client.SendAsync("USER alice");
        await client.ExpectAsync("+OK*");
        await client.SendAsync("PASS " + Password);
        await client.ExpectAsync("+OK Logged in, 2 messages");

        // An IMAP session expunges message 1 and the store's sweep removes its file (as it does once no message
        // refers to it): the maildrop still lists it, but its bytes are gone.
        await using (var imap = await environment.Store.OpenAccountAsync("alice"))
        {
            var inbox = (await imap.GetMailboxAsync("INBOX"))!;
            await imap.StoreFlagsAsync(inbox.Id, UidSet.Of(first.Uid), new FlagChange(FlagOperation.Add, new MessageFlags(SystemFlags.Deleted, [])));
            await imap.ExpungeAsync(inbox.Id);
        }

        var blob = Path.Combine(environment.Directory, "blobs", first.BlobId[..2], first.BlobId[2..4], first.BlobId);
        Assert.True(File.Exists(blob));
        File.Delete(blob);

        await client.SendAsync("RETR 1");
        await client.ExpectAsync("-ERR Message is no longer available");
        await client.SendAsync("RETR 2");
        await client.ExpectAsync("+OK 23 octets");
        Assert.Equal("Subject: kept", await client.ReadLineAsync());
        Assert.Equal(string.Empty, await client.ReadLineAsync());
        Assert.Equal("kept", await client.ReadLineAsync());
        Assert.Equal(".", await client.ReadLineAsync());
        await client.SendAsync("QUIT");
        await client.ExpectAsync("+OK*");
        await session;
    }

    [Fact]
    public async Task Retr_sends_a_message_of_one_chunk_and_one_of_many_chunks_line_for_line()
    {
        await using var environment = await TestMailEnvironment.CreateAsync();
        await environment.AddUserAsync("alice", Password);
        // Small (read whole, one write): the worst case for growth, every line a bare-LF "." line, no final line end.
        var small = "Subject: dots\r\n\r\n" + string.Concat(Enumerable.Repeat(".\n", 300)) + "end";
        // Larger than the 64 KiB chunk (read and flushed chunk by chunk): stuffed lines and bare LFs across chunk ends.
        var big = new StringBuilder("Subject: big\r\n\r\n");
        for (var i = 0; big.Length < 150 * 1024; i++)
        {
            big.Append(i % 2 == 0 ? $".line {i} " : $"line {i} ").Append('x', 200 + (i % 7)).Append(i % 3 == 0 ? "\n" : "\r\n");
        }

        await environment.DeliverAsync("alice", small);
        await environment.DeliverAsync("alice", big.ToString());
        var (_, session, client) = Start(environment.CreateServices());
        await client.ExpectAsync("+OK*");
        await client.SendAsync("USER alice");
        await client.ExpectAsync("+OK*");
        await client.SendAsync("PASS " + Password);
        await client.ExpectAsync("+OK Logged in, 2 messages");
        foreach (var (number, raw) in new[] { (1, small), (2, big.ToString()) })
        {
            await client.SendAsync(FormattableString.Invariant($"RETR {number}"));
            await client.ExpectAsync("+OK *");
            var received = new List<string>();
            while (await client.ReadLineAsync() is { } line && line != ".")
            {
                received.Add(line);
            }

            Assert.Equal(ExpectedLines(raw), received);
        }

        await client.SendAsync("QUIT");
        await client.ExpectAsync("+OK*");
        await session;
    }

    /// <summary>RFC 1939 §3: each stored line (CRLF or bare LF) as a CRLF line, a leading "." doubled.</summary>
    private static List<string> ExpectedLines(string raw)
    {
        var lines = raw.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (raw.EndsWith('\n'))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return [.. lines.Select(l => l.StartsWith('.') ? "." + l : l)];
    }

    [Fact]
    public async Task Keep_days_removes_downloaded_mail_older_than_the_period_at_quit()
    {
        await using var environment = await TestMailEnvironment.CreateAsync();
        await environment.AddUserAsync("alice", Password);
        await environment.DeliverAsync("alice", "Subject: old\r\n\r\n1\r\n");
        await environment.DeliverAsync("alice", "Subject: unread\r\n\r\n2\r\n");
        var clock = new ShiftedTime(TimeSpan.FromDays(31));
        var options = new Pop3Options { Retention = new Pop3RetentionOptions { Mode = Pop3RetentionMode.KeepDays, Days = 30 } };
        var (_, session, client) = Start(environment.CreateServices(options, clock));
        await client.ExpectAsync("+OK*");
        await client.SendAsync("USER alice");
        await client.ExpectAsync("+OK*");
        await client.SendAsync("PASS " + Password);
        await client.ExpectAsync("+OK Logged in, 2 messages");
        await client.SendAsync("RETR 1");
        await client.ExpectAsync("+OK*");
        for (var i = 0; i < 4; i++)
        {
            await client.ReadLineAsync();
        }

        await client.SendAsync("QUIT");
        // 31 days later by the session's clock: the downloaded message goes, the one never downloaded stays.
        await client.ExpectAsync("+OK pop3.test Rampart POP3 server signing off (1 messages deleted)");
        await session;
    }

    [Fact]
    public async Task Keep_days_set_for_the_account_overrides_the_server_default_at_quit()
    {
        await using var environment = await TestMailEnvironment.CreateAsync();
        var account = await environment.AddUserAsync("alice", Password);
        await environment.DeliverAsync("alice", "Subject: old\r\n\r\n1\r\n");
        await environment.DeliverAsync("alice", "Subject: unread\r\n\r\n2\r\n");
        // The server keeps mail; the admin set three days for alice (rampart user pop3 alice --retention days:3).
        await Accounts.Pop3AccountSettings.WriteAsync(environment.Store, account.Id, Accounts.Pop3AccountSettings.Default with { RetentionMode = Pop3RetentionMode.KeepDays, RetentionDays = 3 }, CancellationToken.None);
        var (_, session, client) = Start(environment.CreateServices(time: new ShiftedTime(TimeSpan.FromDays(4))));
        await client.ExpectAsync("+OK*");
        await client.SendAsync("USER alice");
        await client.ExpectAsync("+OK*");
        await client.SendAsync("PASS " + Password);
        await client.ExpectAsync("+OK Logged in, 2 messages");
        await client.SendAsync("RETR 1");
        await client.ExpectAsync("+OK*");
        for (var i = 0; i < 4; i++)
        {
            await client.ReadLineAsync();
        }

        await client.SendAsync("QUIT");
        await client.ExpectAsync("+OK pop3.test Rampart POP3 server signing off (1 messages deleted)");
        await session;
        await using var view = await environment.Store.OpenAccountAsync("alice");
        Assert.Equal(1, (await view.GetMailboxAsync("INBOX"))!.Messages);
    }

    [Fact]
    public void Retention_validation_refuses_a_zero_day_period()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pop3RetentionOptions { Mode = Pop3RetentionMode.KeepDays, Days = 0 }.Validate());
        Assert.Equal("NEVER", new Pop3RetentionOptions().ExpireCapability);
        Assert.Equal("0", new Pop3RetentionOptions { Mode = Pop3RetentionMode.DeleteAfterDownload }.ExpireCapability);
    }

    [Fact]
    public async Task Random_lines_never_crash_the_session_before_or_after_login()
    {
        await using var environment = await TestMailEnvironment.CreateAsync();
        await environment.AddUserAsync("alice", Password);
        await environment.DeliverAsync("alice", "Subject: a\r\n\r\n.a\r\n");
        var services = environment.CreateServices(new Pop3Options { MaxConsecutiveErrors = int.MaxValue, MaxAuthenticationFailures = int.MaxValue });
        var random = new Random(2449);
        string[] words = ["USER", "PASS", "STAT", "LIST", "RETR", "DELE", "NOOP", "RSET", "TOP", "UIDL", "CAPA", "AUTH", "APOP", "UTF8", "STLS", "0", "1", "2", "-1", "99999999999", "*", "=", "PLAIN", "alice", Password, "AGFsaWNl"];
        for (var round = 0; round < 20; round++)
        {
            var (_, session, client) = Start(services);
            await client.ExpectAsync("+OK*");
            if (round % 2 == 1)
            {
                await client.SendAsync("USER alice");
                await client.ExpectAsync("+OK*");
                await client.SendAsync("PASS " + Password);
                await client.ExpectAsync("+OK Logged in*");
            }

            var bytes = new List<byte>();
            for (var line = 0; line < 200; line++)
            {
                if (random.Next(3) == 0)
                {
                    var raw = new byte[random.Next(0, 300)];
                    random.NextBytes(raw);
                    bytes.AddRange(raw.Where(b => b != (byte)'\n' && b != (byte)'\r'));
                }
                else
                {
                    var count = random.Next(1, 4);
                    bytes.AddRange(Encoding.UTF8.GetBytes(string.Join(' ', Enumerable.Range(0, count).Select(_ => words[random.Next(words.Length)]))));
                }

                bytes.AddRange("\r\n"u8.ToArray());
            }

            // QUIT can be answered by a pending SASL exchange; send one more and then hang up.
            bytes.AddRange("*\r\nQUIT\r\n"u8.ToArray());
            await client.SendRawAsync([.. bytes]);
            await client.CloseAsync();
            await session.WaitAsync(TimeSpan.FromSeconds(30)); // ended normally: nothing threw
            Assert.Equal(0, services.Locks.Count);
        }
    }

    internal static (PipeTransport Transport, Task Session, TestClient Client) Start(Pop3Services services)
    {
        var transport = new PipeTransport(implicitTls: true, allowStartTls: false);
        var session = new Pop3Session(services, transport, NullLogger.Instance);
        var task = Task.Run(async () =>
        {
            try
            {
                await session.RunAsync(CancellationToken.None);
            }
            finally
            {
                await transport.Output.CompleteAsync();
            }
        });
        return (transport, task, new TestClient(transport));
    }

    private sealed class ShiftedTime(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }

    internal sealed class TestClient(PipeTransport transport)
    {
        private readonly LineBuffer _lines = new();
        private readonly Dictionary<string, string> _captures = [];

        public async Task SendAsync(string line) => await transport.ClientWriter.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

        public async Task SendRawAsync(byte[] bytes) => await transport.ClientWriter.WriteAsync(bytes);

        public async Task CloseAsync() => await transport.ClientWriter.CompleteAsync();

        public async Task<string?> ReadLineAsync()
        {
            while (true)
            {
                if (_lines.TryTake(out var line))
                {
                    return line;
                }

                var read = await transport.ClientReader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
                foreach (var segment in read.Buffer)
                {
                    _lines.Add(segment.Span);
                }

                transport.ClientReader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted && read.Buffer.IsEmpty)
                {
                    return null;
                }
            }
        }

        public async Task ExpectAsync(string expected)
        {
            var line = await ReadLineAsync();
            Assert.True(line is not null && TranscriptMatcher.Matches(expected, line, _captures), $"expected '{expected}', got '{line}'");
        }
    }
}
