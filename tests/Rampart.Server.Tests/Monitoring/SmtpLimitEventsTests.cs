using System.Net;
using System.Net.Sockets;
using System.Text;
using Rampart.Server.Tests.Security;

namespace Rampart.Server.Tests.Monitoring;

/// <summary>Issue 7, SECURITY.md L03 ("limit hits … are logged") at every SMTP limit site on a real <c>rampart
/// serve</c>: on inbound port 25 and LMTP (sessions without AUTH, so without the login glue that reports them on
/// submission) and on submission, each limit gives the protocol's reply and one <c>limit</c> audit line naming the
/// limit, the protocol, the listener and the client address. POP3's line limits and IMAP's per-user-and-address
/// session limit, which had no wire test, are checked the same way.</summary>
public sealed class SmtpLimitEventsTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private readonly DefaultServe server = new("smtp-limits");

    public void Dispose() => server.Dispose();

    /// <summary>Small limits so that each is reached with a few lines; DNS pointed at a closed loopback port so
    /// inbound sender checks fail fast instead of waiting on an unreachable resolver.</summary>
    private async Task StartAsync(IDictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Listeners__smtp__Endpoint"] = "127.0.0.1:0",
            ["Listeners__smtp__Enabled"] = "true",
            ["Listeners__lmtp__Endpoint"] = "127.0.0.1:0",
            ["Listeners__lmtp__Enabled"] = "true",
            ["Smtp__MaxRecipients"] = "2",
            ["Smtp__MaxMessageSize"] = "20000",
            ["Smtp__Dns__Servers__0"] = "127.0.0.1:1",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        server.Start(settings);
        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            var add = await server.RunAsync(Password + "\n", "user", "add", name, "--address", name + "@" + DefaultServe.HostName, "--password-stdin");
            Assert.True(add.ExitCode == 0, add.ToString());
        }
    }

    [Theory]
    [InlineData("smtp", "EHLO", "127.0.31.1")]
    [InlineData("lmtp", "LHLO", "127.0.32.1")]
    public async Task Each_limit_on_a_session_without_auth_is_refused_and_audited(string listener, string greeting, string from)
    {
        await StartAsync();
        await using (var client = await PlainLineClient.ConnectAsync(server.Ports[listener], IPAddress.Parse(from)))
        {
            Assert.StartsWith("220", await client.ReplyAsync(), StringComparison.Ordinal);
            Assert.StartsWith("250", await client.CommandAsync(greeting + " client.test"), StringComparison.Ordinal);

            // A command line over Smtp:MaxCommandLength (2048).
            Assert.StartsWith("500 5.5.2 Line too long", await client.CommandAsync("NOOP " + new string('a', 3000)), StringComparison.Ordinal);

            // A declared size over Smtp:MaxMessageSize (RFC 1870 §6).
            Assert.StartsWith("552 5.3.4", await client.CommandAsync("MAIL FROM:<sender@example.org> SIZE=999999999"), StringComparison.Ordinal);

            // More recipients than Smtp:MaxRecipients (RFC 5321 §4.5.3.1.8).
            Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<sender@example.org>"), StringComparison.Ordinal);
            Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<alice@mail.test>"), StringComparison.Ordinal);
            Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<bob@mail.test>"), StringComparison.Ordinal);
            Assert.StartsWith("452 4.5.3", await client.CommandAsync("RCPT TO:<carol@mail.test>"), StringComparison.Ordinal);

            // A message line over Smtp:MaxDataLineLength (1000; RFC 5321 §4.5.3.1.6): one reply per accepted recipient on LMTP.
            Assert.StartsWith("354", await client.CommandAsync("DATA"), StringComparison.Ordinal);
            var replies = await client.DataAsync("Subject: long line\r\n\r\n" + new string('b', 1500) + "\r\n", listener == "lmtp" ? 2 : 1);
            Assert.All(replies, r => Assert.StartsWith("550 5.6.0", r, StringComparison.Ordinal));

            // A message over Smtp:MaxMessageSize without a declared size.
            Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<sender@example.org>"), StringComparison.Ordinal);
            Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<alice@mail.test>"), StringComparison.Ordinal);
            Assert.StartsWith("354", await client.CommandAsync("DATA"), StringComparison.Ordinal);
            var big = new StringBuilder("Subject: big\r\n\r\n");
            for (var i = 0; i < 300; i++)
            {
                big.Append(new string('c', 98)).Append("\r\n");
            }

            Assert.StartsWith("552 5.3.4", Assert.Single(await client.DataAsync(big.ToString(), 1)), StringComparison.Ordinal);
            Assert.StartsWith("221", await client.CommandAsync("QUIT"), StringComparison.Ordinal);
        }

        await server.StopAsync();
        var limits = server.AuditLines().Where(l => DefaultServe.Field(l, "kind") == "limit")
            .Select(l => (Limit: DefaultServe.Field(l, "limit"), Protocol: DefaultServe.Field(l, "protocol"), Listener: DefaultServe.Field(l, "listener"), Ip: DefaultServe.Field(l, "ip"), User: DefaultServe.Field(l, "user"), Result: DefaultServe.Field(l, "result")))
            .ToList();
        Assert.Equal(
            new[] { "line-length", "message-size", "recipients", "data-line-length", "message-size" }.Select(l => (l, (string?)listener, (string?)listener, (string?)from, (string?)null, (string?)"refused")),
            limits.Select(l => (l.Limit!, l.Protocol, l.Listener, l.Ip, l.User, l.Result)));
        Assert.All(server.AuditLines().Where(l => DefaultServe.Field(l, "kind") == "limit"), l =>
        {
            Assert.Equal(server.Ports[listener].ToString(System.Globalization.CultureInfo.InvariantCulture), DefaultServe.Field(l, "port"));
            Assert.NotNull(DefaultServe.Field(l, "session"));
        });
    }

    [Fact]
    public async Task Submission_recipients_data_line_and_sending_rate_limits_are_refused_and_audited()
    {
        await StartAsync(new Dictionary<string, string> { ["Smtp__MaxMessagesPerHour"] = "1" });
        var from = IPAddress.Parse("127.0.33.1");
        await using (var smtp = await LoopbackTlsClient.ConnectAsync(server.Submissions, from))
        {
            Assert.StartsWith("220", await smtp.SmtpReplyAsync(), StringComparison.Ordinal);
            Assert.StartsWith("250", await smtp.SmtpCommandAsync("EHLO client.test"), StringComparison.Ordinal);
            Assert.StartsWith("235", await smtp.SmtpCommandAsync("AUTH PLAIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice\0" + Password))), StringComparison.Ordinal);

            Assert.StartsWith("250", await smtp.SmtpCommandAsync("MAIL FROM:<alice@mail.test>"), StringComparison.Ordinal);
            Assert.StartsWith("250", await smtp.SmtpCommandAsync("RCPT TO:<bob@mail.test>"), StringComparison.Ordinal);
            Assert.StartsWith("250", await smtp.SmtpCommandAsync("RCPT TO:<carol@mail.test>"), StringComparison.Ordinal);
            Assert.StartsWith("452 4.5.3", await smtp.SmtpCommandAsync("RCPT TO:<alice@mail.test>"), StringComparison.Ordinal);
            Assert.StartsWith("354", await smtp.SmtpCommandAsync("DATA"), StringComparison.Ordinal);
            Assert.StartsWith("550 5.6.0", await smtp.SmtpCommandAsync("From: <alice@mail.test>\r\nSubject: long\r\n\r\n" + new string('b', 1500) + "\r\n."), StringComparison.Ordinal);

            // One message an hour (Smtp:MaxMessagesPerHour 1): the first goes, the next MAIL is deferred.
            Assert.StartsWith("250", await smtp.SmtpCommandAsync("MAIL FROM:<alice@mail.test>"), StringComparison.Ordinal);
            Assert.StartsWith("250", await smtp.SmtpCommandAsync("RCPT TO:<bob@mail.test>"), StringComparison.Ordinal);
            Assert.StartsWith("354", await smtp.SmtpCommandAsync("DATA"), StringComparison.Ordinal);
            Assert.StartsWith("250", await smtp.SmtpCommandAsync("From: <alice@mail.test>\r\nTo: <bob@mail.test>\r\nSubject: hello\r\n\r\nhello\r\n."), StringComparison.Ordinal);
            Assert.StartsWith("450 4.7.0", await smtp.SmtpCommandAsync("MAIL FROM:<alice@mail.test>"), StringComparison.Ordinal);
        }

        await server.StopAsync();
        var limits = server.AuditLines().Where(l => DefaultServe.Field(l, "kind") == "limit")
            .Select(l => (Limit: DefaultServe.Field(l, "limit"), Protocol: DefaultServe.Field(l, "protocol"), Listener: DefaultServe.Field(l, "listener"), Ip: DefaultServe.Field(l, "ip"), User: DefaultServe.Field(l, "user")))
            .ToList();
        Assert.Equal(
            [("recipients", "smtp", "submissions", "127.0.33.1", "alice"), ("data-line-length", "smtp", "submissions", "127.0.33.1", "alice"), ("sending-rate", "smtp", "submissions", "127.0.33.1", "alice")],
            limits);
    }

    [Fact]
    public async Task Pop3_line_limits_and_the_imap_per_user_and_address_session_limit_are_refused_and_audited()
    {
        await StartAsync(new Dictionary<string, string> { ["Security__SessionsPerUserAndIp"] = "2" });
        await using (var pop3 = await LoopbackTlsClient.ConnectAsync(server.Pop3s, IPAddress.Parse("127.0.34.1")))
        {
            Assert.StartsWith("+OK", await pop3.ReadLineAsync(), StringComparison.Ordinal);

            // RFC 2449 §4: 255 octets for a command; then a line over the connection's 64 KiB line limit.
            Assert.StartsWith("-ERR Command line too long", await pop3.CommandAsync("NOOP " + new string('a', 300)), StringComparison.Ordinal);
            Assert.StartsWith("-ERR", await pop3.CommandAsync("NOOP " + new string('a', 100_000)), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await pop3.CommandAsync("CAPA"), StringComparison.Ordinal);
        }

        // Security:SessionsPerUserAndIp 2: the third IMAP session of bob from one address is refused, the first two go on.
        var from = IPAddress.Parse("127.0.35.1");
        var open = new List<LoopbackTlsClient>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var session = await LoopbackTlsClient.ConnectAsync(server.Imaps, from);
                open.Add(session);
                await session.ReadLineAsync();
                Assert.StartsWith("a OK", await session.CommandAsync("a LOGIN bob " + Password), StringComparison.Ordinal);
            }

            await using (var third = await LoopbackTlsClient.ConnectAsync(server.Imaps, from))
            {
                await third.ReadLineAsync();
                Assert.StartsWith("b NO [LIMIT]", await third.CommandAsync("b LOGIN bob " + Password), StringComparison.Ordinal);
            }

            Assert.StartsWith("c OK", await open[0].CommandAsync("c NOOP"), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var session in open)
            {
                await session.DisposeAsync();
            }
        }

        await server.StopAsync();
        var limits = server.AuditLines().Where(l => DefaultServe.Field(l, "kind") == "limit")
            .Select(l => (Limit: DefaultServe.Field(l, "limit"), Protocol: DefaultServe.Field(l, "protocol"), Listener: DefaultServe.Field(l, "listener"), Ip: DefaultServe.Field(l, "ip"), User: DefaultServe.Field(l, "user")))
            .ToList();
        Assert.Equal(
            [("line-length", "pop3", "pop3s", "127.0.34.1", null), ("line-length", "pop3", "pop3s", "127.0.34.1", null), ("sessions-per-user-and-ip", "imap", "imaps", "127.0.35.1", "bob")],
            limits);
    }

    /// <summary>A plaintext SMTP/LMTP client from a chosen loopback address (port 25 and LMTP sessions here never
    /// start TLS).</summary>
    private sealed class PlainLineClient : IAsyncDisposable
    {
        private readonly TcpClient tcp;
        private readonly NetworkStream stream;
        private readonly StreamReader reader;

        private PlainLineClient(TcpClient tcp)
        {
            this.tcp = tcp;
            stream = tcp.GetStream();
            reader = new StreamReader(stream, Encoding.ASCII);
        }

        public static async Task<PlainLineClient> ConnectAsync(int port, IPAddress local)
        {
            var tcp = new TcpClient(new IPEndPoint(local, 0));
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            return new PlainLineClient(tcp);
        }

        /// <summary>The last line of one reply (RFC 5321 §4.2: "250-" continues).</summary>
        public async Task<string> ReplyAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                var line = await reader.ReadLineAsync(timeout.Token) ?? throw new IOException("closed");
                if (line.Length < 4 || line[3] != '-')
                {
                    return line;
                }
            }
        }

        public async Task<string> CommandAsync(string line)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
            return await ReplyAsync();
        }

        /// <summary>Sends a message and its terminating dot; returns <paramref name="replies"/> replies (LMTP: one per
        /// accepted recipient, RFC 2033 §4.2).</summary>
        public async Task<List<string>> DataAsync(string message, int replies)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(message + ".\r\n"));
            var result = new List<string>();
            for (var i = 0; i < replies; i++)
            {
                result.Add(await ReplyAsync());
            }

            return result;
        }

        public async ValueTask DisposeAsync()
        {
            reader.Dispose();
            await stream.DisposeAsync();
            tcp.Dispose();
        }
    }
}
