using Rampart.Server.Cli;
using Rampart.Store.Sqlite;

namespace Rampart.Server.Tests.Cli;

/// <summary><c>rampart user quota</c>, the quota line of <c>user show</c>, <c>Store:Quota</c>, and <c>rampart deliver</c> over quota.</summary>
public sealed class UserQuotaCommandTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private readonly CliRunner cli = new();

    public void Dispose() => cli.Dispose();

    private static string Message(int bodyLength) =>
        "From: Sender <sender@example.org>\r\nTo: alice@example.com\r\nSubject: quota\r\n" +
        "Message-ID: <" + Guid.NewGuid().ToString("N") + "@example.org>\r\n\r\n" + new string('x', bodyLength) + "\r\n";

    private async Task<long> InboxCountAsync()
    {
        await using var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = cli.DataPath });
        await using var account = await store.OpenAccountAsync("alice");
        return (await account.GetMailboxAsync("INBOX"))!.Messages;
    }

    [Fact]
    public async Task Sets_shows_and_enforces_an_accounts_quota()
    {
        await cli.RunWithInputAsync(Password + "\n", "user", "add", "alice", "--password-stdin", "--address", "alice@example.com");
        var shown = await cli.RunAsync("user", "quota", "alice");
        Assert.Equal(ExitCodes.Ok, shown.ExitCode);
        Assert.Contains("alice: storage 0 KiB used of unlimited (server default), messages 0 of unlimited (server default)", shown.Output);

        var set = await cli.RunAsync("user", "quota", "alice", "--storage", "2K", "--messages", "5");
        Assert.True(set.ExitCode == ExitCodes.Ok, set.ToString());
        Assert.Contains("storage 0 KiB used of 2 KiB, messages 0 of 5", set.Output);

        Assert.Equal(ExitCodes.Ok, (await cli.RunWithInputAsync(Message(100), "deliver", "--to", "alice")).ExitCode);
        // Over 2 KiB with what is stored: EX_CANTCREAT, which an MTA maps to a mailbox status (5.2.0), and nothing stored.
        var refused = await cli.RunWithInputAsync(Message(2000), "deliver", "--to", "alice");
        Assert.True(refused.ExitCode == ExitCodes.CannotCreate, refused.ToString());
        Assert.Contains("OverQuota", refused.Error);
        Assert.Equal(1, await InboxCountAsync());

        var show = await cli.RunAsync("user", "show", "alice");
        Assert.Contains("quota:     storage 1 KiB used of 2 KiB, messages 1 of 5", show.Output);

        // Unlimited storage for this account; the message limit stays.
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("user", "quota", "alice", "--storage", "unlimited")).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await cli.RunWithInputAsync(Message(2000), "deliver", "--to", "alice")).ExitCode);
        Assert.Contains("of unlimited, messages 2 of 5", (await cli.RunAsync("user", "quota", "alice")).Output);
    }

    [Fact]
    public async Task Refuses_values_that_are_not_sizes_or_counts()
    {
        await cli.RunWithInputAsync(Password + "\n", "user", "add", "alice", "--password-stdin");
        foreach (var args in new[] { new[] { "--storage", "lots" }, ["--storage", "-1"], ["--storage", "1.5G"], ["--messages", "-3"], ["--messages", "many"] })
        {
            var result = await cli.RunAsync(["user", "quota", "alice", .. args]);
            Assert.True(result.ExitCode == ExitCodes.Usage, string.Join(' ', args) + ": " + result);
        }

        Assert.Equal(ExitCodes.NoUser, (await cli.RunAsync("user", "quota", "nobody", "--messages", "1")).ExitCode);
    }

    [Fact]
    public async Task The_server_default_applies_until_the_account_has_its_own()
    {
        await cli.RunWithInputAsync(Password + "\n", "user", "add", "alice", "--password-stdin");
        await File.WriteAllTextAsync(Path.Combine(cli.DataPath, "rampart.json"), """{ "Store": { "Quota": { "Storage": "1M", "Messages": 0 } } }""");
        Assert.Contains("of 1 MiB (server default), messages 0 of 0 (server default)", (await cli.RunAsync("user", "quota", "alice")).Output);
        Assert.Equal(ExitCodes.CannotCreate, (await cli.RunWithInputAsync(Message(10), "deliver", "--to", "alice")).ExitCode);

        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("user", "quota", "alice", "--messages", "unlimited")).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await cli.RunWithInputAsync(Message(10), "deliver", "--to", "alice")).ExitCode);

        // Back to the default: over again (one message, limit 0).
        Assert.Equal(ExitCodes.Ok, (await cli.RunAsync("user", "quota", "alice", "--messages", "default")).ExitCode);
        Assert.Equal(ExitCodes.CannotCreate, (await cli.RunWithInputAsync(Message(10), "deliver", "--to", "alice")).ExitCode);

        // Answered like LMTP's 452 when the server is told to treat a full mailbox as temporary.
        await File.WriteAllTextAsync(Path.Combine(cli.DataPath, "rampart.json"), """{ "Store": { "Quota": { "Messages": 0 } }, "Smtp": { "OverQuotaTemporary": true } }""");
        Assert.Equal(ExitCodes.TempFail, (await cli.RunWithInputAsync(Message(10), "deliver", "--to", "alice")).ExitCode);

        await File.WriteAllTextAsync(Path.Combine(cli.DataPath, "rampart.json"), """{ "Store": { "Quota": { "Storage": "lots" } } }""");
        var bad = await cli.RunAsync("user", "quota", "alice");
        Assert.True(bad.ExitCode == ExitCodes.Config, bad.ToString());
        Assert.Contains("Store:Quota:Storage", bad.Error);
    }
}
