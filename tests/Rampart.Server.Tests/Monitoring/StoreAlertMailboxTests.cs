using System.Net;
using System.Text;
using Rampart.Monitoring;
using Rampart.Monitoring.Alerts;
using Rampart.Monitoring.Events;
using Rampart.Server.Monitoring;
using Rampart.Store.Model;
using Rampart.Store.Sqlite;

namespace Rampart.Server.Tests.Monitoring;

public sealed class StoreAlertMailboxTests
{
    [Fact]
    public async Task A_login_from_a_new_network_puts_was_this_you_in_the_users_inbox()
    {
        var data = Path.Combine(Path.GetTempPath(), "rampart-alertmail-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        try
        {
            await using var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = data });
            await store.CreateAccountAsync("alice", ["alice@example.org"]);
            await store.CreateAccountAsync("postmaster", ["postmaster@example.org"]);
            var options = new MonitoringOptions();
            options.Alerts.AdminAccount = "postmaster";
            options.Alerts.HostName = "mail.example.org";
            await using (var monitor = new SecurityMonitor(options, null, null))
            {
                monitor.Alerts.AddSink(new MailAlertSink(new StoreAlertMailbox(store), options.Alerts));
                monitor.Start();
                var t = DateTimeOffset.UtcNow;
                monitor.Events.Raise(new AuthenticationSucceeded { Time = t, User = "alice", ClientIp = IPAddress.Parse("192.0.2.10"), Protocol = "imap" });
                monitor.Events.Raise(new AuthenticationSucceeded { Time = t.AddMinutes(1), User = "alice", ClientIp = IPAddress.Parse("203.0.113.5"), Protocol = "pop3" });
                await monitor.Alerts.DrainAsync();
            }

            var alice = await ReadInboxAsync(store, "alice");
            var notice = Assert.Single(alice);
            Assert.Contains("Subject: Was this you?", notice, StringComparison.Ordinal);
            Assert.Contains("203.0.113.5", notice, StringComparison.Ordinal);
            Assert.Contains("Protocol: pop3", notice, StringComparison.Ordinal);
            var admin = Assert.Single(await ReadInboxAsync(store, "postmaster"));
            Assert.Contains("Subject: Rampart alert: alice logged in from a new network 203.0.113.0/24", admin, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Delivery_to_an_unknown_account_is_an_error()
    {
        var data = Path.Combine(Path.GetTempPath(), "rampart-alertmail-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        try
        {
            await using var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = data });
            var mailbox = new StoreAlertMailbox(store);
            await Assert.ThrowsAnyAsync<Exception>(() => mailbox.DeliverAsync("ghost", Encoding.ASCII.GetBytes("Subject: x\r\n\r\nx\r\n"), CancellationToken.None));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<List<string>> ReadInboxAsync(Rampart.Store.IMailStore store, string name)
    {
        await using var account = await store.OpenAccountAsync(name);
        var inbox = await account.GetMailboxAsync("INBOX") ?? throw new InvalidOperationException("no INBOX");
        var result = new List<string>();
        foreach (var summary in await account.FetchAsync(inbox.Id, UidSet.All))
        {
            await using var stream = await account.OpenMessageAsync(inbox.Id, summary.Uid);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            result.Add(await reader.ReadToEndAsync());
        }

        return result;
    }
}
