using Rampart.Imap.Tests.TestSupport;
using Rampart.Store.Model;
using Rampart.Store.Sqlite;

namespace Rampart.Imap.Tests;

/// <summary>A flag change committed before a SELECT is part of what the SELECT shows (RFC 9051 §6.3.2, RFC 7162
/// §3.1.2.1 HIGHESTMODSEQ): the account's change feed may still deliver it afterwards, and the session must not
/// report it as news then.</summary>
public sealed class ReselectTests
{
    [Fact]
    public async Task A_change_committed_before_the_select_is_not_reported_after_it()
    {
        // The session's store notices another process's commits only by polling, once a second here: the change
        // below reaches the feed well after the SELECT that already saw it.
        await using var server = await ImapTestServer.StartAsync(changePoll: TimeSpan.FromSeconds(1));
        await server.AddUserAsync("alice", "Secret-Pass-1");
        await using var client = await server.LoginMemoryAsync("alice", "Secret-Pass-1");
        const string message = "Subject: one\r\n\r\nbody\r\n";
        await client.SendAsync($"a2 APPEND INBOX {{{message.Length}+}}\r\n{message}\r\n");
        Assert.StartsWith("a2 OK", await client.ReadLineAsync());

        // Another process (a second store on the same data) flags the message.
        await using (var other = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = Path.Combine(server.Directory, "data"), Durable = false }))
        {
            var account = await other.OpenAccountAsync("alice");
            var inbox = (await account.GetMailboxAsync("INBOX"))!;
            await account.StoreFlagsAsync(inbox.Id, UidSet.FromRanges([(1u, 1u)]), new FlagChange(FlagOperation.Add, new MessageFlags(SystemFlags.Flagged, [])));
        }

        await client.SendAsync("a3 SELECT INBOX\r\n");
        var selected = await ReadUntilTaggedAsync(client, "a3");
        Assert.StartsWith("a3 OK", selected[^1]);
        await client.SendAsync("a4 FETCH 1 (FLAGS)\r\n");
        Assert.Contains(await ReadUntilTaggedAsync(client, "a4"), l => l.Contains("\\Flagged", StringComparison.Ordinal));

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await client.SendAsync("a5 NOOP\r\n");
        var lines = await ReadUntilTaggedAsync(client, "a5");
        Assert.StartsWith("a5 OK", Assert.Single(lines));
    }

    private static async Task<List<string>> ReadUntilTaggedAsync(LineClient client, string tag)
    {
        var lines = new List<string>();
        while (await client.ReadLineAsync() is { } line)
        {
            lines.Add(line);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                break;
            }
        }

        return lines;
    }
}
