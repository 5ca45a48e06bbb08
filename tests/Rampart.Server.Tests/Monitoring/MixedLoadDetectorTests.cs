using System.Globalization;
using System.Net;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Rampart.Server.Tests.Monitoring;

/// <summary>Issue 7, "each detector … stays quiet on normal traffic (a mixed-load run)": a default <c>rampart serve</c>
/// carries ~20 s of what a small office does from one address — IMAP clients that stay logged in (select, append,
/// search, fetch, flag, IDLE), POP3 pollers, submissions between the accounts, and a phone retrying a stale password —
/// and raises no alert. The same server then sees three abnormal patterns (a login from a new network, a burst of
/// failed logins on one account, more simultaneous sessions than the account threshold) and alerts on each, so the
/// quiet was the detectors' judgement, not detectors that were off.</summary>
public sealed class MixedLoadDetectorTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private static readonly string[] Accounts = ["alice", "bob", "carol"];
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(20);
    private readonly DefaultServe server = new("mixed-load");

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task Normal_mixed_traffic_raises_no_alert_and_abnormal_patterns_after_it_do()
    {
        server.Start();
        var added = await Task.WhenAll(Accounts.Select(a => server.RunAsync(Password + "\n", "user", "add", a, "--address", a + "@" + DefaultServe.HostName, "--password-stdin")));
        Assert.All(added, r => Assert.True(r.ExitCode == 0, r.ToString()));

        var counters = new LoadCounters();
        using (var stop = new CancellationTokenSource(LoadDuration))
        {
            var workers = new List<Task>();
            foreach (var account in Accounts)
            {
                workers.Add(ImapClientLoopAsync(account, counters, stop.Token));
                workers.Add(ImapClientLoopAsync(account, counters, stop.Token));
                workers.Add(Pop3PollerAsync(account, counters, stop.Token));
            }

            workers.Add(SubmitterAsync("alice", ["bob", "carol"], counters, stop.Token));
            workers.Add(SubmitterAsync("bob", ["alice"], counters, stop.Token));
            workers.Add(StalePhoneAsync("carol", counters, stop.Token));
            await Task.WhenAll(workers);
        }

        // The load did work: every kind of operation ran several times, and the stale phone was refused a few times.
        Assert.True(counters.ImapRounds >= 6 && counters.Pop3Polls >= 3 && counters.Submissions >= 3 && counters.Idles >= 6, counters.ToString());
        // Every 6 s plus the guard's delay: at most three tries in the run. MailKit tries each mechanism the server
        // offers before giving up (up to the per-session limit of 3), so that is at most 9 audited failures: under the
        // per-account burst threshold of 10 in 10 minutes, as a phone that retries this rarely should be.
        Assert.InRange(counters.StaleFailures, 1, 3);
        var loadEnded = DateTimeOffset.UtcNow;

        // Abnormal 1: bob logs in from a network he never used.
        await using (var roaming = await LoginAsync("bob", Password, IPAddress.Parse("127.0.9.1")))
        {
        }

        // Abnormal 2: ten addresses each try one password on carol (a distributed guess).
        await Task.WhenAll(Enumerable.Range(1, 10).Select(async i =>
        {
            var e = await Assert.ThrowsAsync<AuthenticationException>(async () => await LoginAsync("carol", "Guess-" + i.ToString(CultureInfo.InvariantCulture), IPAddress.Parse("127.0.20." + i.ToString(CultureInfo.InvariantCulture))));
            Assert.NotNull(e);
        }));

        // Abnormal 3: thirteen simultaneous sessions of alice (threshold 12), within the session limits (10 per
        // address, 16 per account).
        var spike = await Task.WhenAll(Enumerable.Range(0, 13).Select(i => LoginAsync("alice", Password, i < 9 ? IPAddress.Loopback : IPAddress.Parse("127.0.11.1"))));
        foreach (var session in spike)
        {
            await session.DisposeAsync();
        }

        await server.StopAsync();
        var lines = server.AuditLines();
        var alerts = lines.Where(l => DefaultServe.Field(l, "kind") == "alert")
            .Select(l => (Time: DateTimeOffset.Parse(DefaultServe.Field(l, "time")!, CultureInfo.InvariantCulture), Alert: DefaultServe.Field(l, "alert"), User: DefaultServe.Field(l, "user"), Reason: DefaultServe.Field(l, "reason")))
            .ToList();
        Assert.True(alerts.All(a => a.Time >= loadEnded), "alerts during normal load: " + string.Join("; ", alerts.Where(a => a.Time < loadEnded)));
        Assert.Contains(alerts, a => a is { Alert: "new-network", User: "bob" });
        Assert.Contains(alerts, a => a is { Alert: "failed-login-burst", User: "carol" });
        Assert.Contains(alerts, a => a is { Alert: "connection-spike", User: "alice" });

        // The stale phone's failures were audited (the guard saw them) without making an alert: one per mechanism tried.
        var staleLines = lines.Count(l => DefaultServe.Field(l, "kind") == "auth.failure" && DefaultServe.Field(l, "user") == "carol" && DefaultServe.Field(l, "ip") == "127.0.0.1");
        Assert.InRange(staleLines, counters.StaleFailures, 3 * counters.StaleFailures);
    }

    /// <summary>A desktop or phone mail client: logged in for the whole run, working on INBOX, idling between rounds.</summary>
    private async Task ImapClientLoopAsync(string account, LoadCounters counters, CancellationToken stop)
    {
        await using var session = await LoginAsync(account, Password, IPAddress.Loopback);
        var imap = session.Client;
        var inbox = imap.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var round = 0;
        while (!stop.IsCancellationRequested)
        {
            round++;
            var draft = new MimeMessage();
            draft.From.Add(MailboxAddress.Parse(account + "@" + DefaultServe.HostName));
            draft.To.Add(MailboxAddress.Parse(account + "@" + DefaultServe.HostName));
            draft.Subject = string.Create(CultureInfo.InvariantCulture, $"note {round} from {account}");
            draft.Body = new TextPart("plain") { Text = "a saved note, round " + round.ToString(CultureInfo.InvariantCulture) + "\r\n" + new string('x', 2000) };
            await inbox.AppendAsync(draft, MessageFlags.Draft);

            var found = await inbox.SearchAsync(SearchQuery.SubjectContains("note"));
            Assert.NotEmpty(found);
            var summaries = await inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.Flags | MessageSummaryItems.Size);
            Assert.NotEmpty(summaries);
            var latest = await inbox.GetMessageAsync(found[^1]);
            Assert.NotNull(latest.Subject);
            await inbox.AddFlagsAsync(found[^1], MessageFlags.Seen, silent: true);

            using (var done = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                done.CancelAfter(TimeSpan.FromMilliseconds(700));
                await imap.IdleAsync(done.Token, CancellationToken.None);
                counters.Idle();
            }

            await imap.NoOpAsync(CancellationToken.None);
            counters.ImapRound();
        }

        await imap.DisconnectAsync(true, CancellationToken.None);
    }

    /// <summary>A POP3 client polling every second or so: log in, list, download the newest messages, quit.</summary>
    private async Task Pop3PollerAsync(string account, LoadCounters counters, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var pop3 = new Pop3Client { ServerCertificateValidationCallback = (_, _, _, _) => true };
            await pop3.ConnectAsync("127.0.0.1", server.Pop3s, SecureSocketOptions.SslOnConnect, CancellationToken.None);
            await pop3.AuthenticateAsync(account, Password, CancellationToken.None);
            var count = await pop3.GetMessageCountAsync(CancellationToken.None);
            for (var i = Math.Max(0, count - 2); i < count; i++)
            {
                Assert.NotNull(await pop3.GetMessageAsync(i, CancellationToken.None));
            }

            await pop3.DisconnectAsync(true, CancellationToken.None);
            counters.Pop3Poll();
            await Delay(TimeSpan.FromSeconds(1), stop);
        }
    }

    /// <summary>A user sending mail to colleagues over submissions, one connection per message like most clients.</summary>
    private async Task SubmitterAsync(string account, string[] to, LoadCounters counters, CancellationToken stop)
    {
        var sent = 0;
        while (!stop.IsCancellationRequested)
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse(account + "@" + DefaultServe.HostName));
            foreach (var recipient in to)
            {
                message.To.Add(MailboxAddress.Parse(recipient + "@" + DefaultServe.HostName));
            }

            message.Subject = string.Create(CultureInfo.InvariantCulture, $"message {++sent} from {account}");
            message.Body = new TextPart("plain") { Text = "hello\r\n" };
            using var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
            await smtp.ConnectAsync("127.0.0.1", server.Submissions, SecureSocketOptions.SslOnConnect, CancellationToken.None);
            await smtp.AuthenticateAsync(account, Password, CancellationToken.None);
            await smtp.SendAsync(message, CancellationToken.None);
            await smtp.DisconnectAsync(true, CancellationToken.None);
            counters.Submission();
            await Delay(TimeSpan.FromSeconds(2), stop);
        }
    }

    /// <summary>A phone still holding last month's password: it retries every few seconds and is refused.</summary>
    private async Task StalePhoneAsync(string account, LoadCounters counters, CancellationToken stop)
    {
        await Delay(TimeSpan.FromSeconds(2), stop);
        while (!stop.IsCancellationRequested)
        {
            await Assert.ThrowsAsync<AuthenticationException>(async () => await LoginAsync(account, "Last-Months-Password-1", IPAddress.Loopback));
            counters.StaleFailure();
            await Delay(TimeSpan.FromSeconds(6), stop);
        }
    }

    private async Task<ImapSession> LoginAsync(string account, string password, IPAddress from)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, LocalEndPoint = new IPEndPoint(from, 0) };
        try
        {
            await client.ConnectAsync("127.0.0.1", server.Imaps, SecureSocketOptions.SslOnConnect);
            await client.AuthenticateAsync(account, password);
            return new ImapSession(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task Delay(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private sealed class ImapSession(ImapClient client) : IAsyncDisposable
    {
        public ImapClient Client => client;

        public async ValueTask DisposeAsync()
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(true);
            }

            client.Dispose();
        }
    }

    private sealed class LoadCounters
    {
        private int imapRounds;
        private int idles;
        private int pop3Polls;
        private int submissions;
        private int staleFailures;

        public int ImapRounds => Volatile.Read(ref imapRounds);

        public int Idles => Volatile.Read(ref idles);

        public int Pop3Polls => Volatile.Read(ref pop3Polls);

        public int Submissions => Volatile.Read(ref submissions);

        public int StaleFailures => Volatile.Read(ref staleFailures);

        public void ImapRound() => Interlocked.Increment(ref imapRounds);

        public void Idle() => Interlocked.Increment(ref idles);

        public void Pop3Poll() => Interlocked.Increment(ref pop3Polls);

        public void Submission() => Interlocked.Increment(ref submissions);

        public void StaleFailure() => Interlocked.Increment(ref staleFailures);

        public override string ToString() => $"imap rounds {ImapRounds}, idles {Idles}, pop3 polls {Pop3Polls}, submissions {Submissions}, stale failures {StaleFailures}";
    }
}
