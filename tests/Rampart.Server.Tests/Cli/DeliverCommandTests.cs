using System.Text;
using Rampart.Server.Cli;
using Rampart.Store.Model;
using Rampart.Store.Sqlite;

namespace Rampart.Server.Tests.Cli;

public class DeliverCommandTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private readonly CliRunner cli = new();

    public void Dispose() => cli.Dispose();

    private static string Message(string subject) =>
        "From: Sender <sender@example.org>\r\nTo: alice@example.com\r\nSubject: " + subject + "\r\n" +
        "Message-ID: <" + Guid.NewGuid().ToString("N") + "@example.org>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0100\r\n\r\nHello, Alice.\r\n";

    [Fact]
    public async Task Delivers_byte_exact_into_inbox_with_flags_and_by_address()
    {
        await cli.RunWithInputAsync(Password + "\n", "user", "add", "alice", "--password-stdin", "--address", "alice@example.com");
        var first = Message("first");
        var result = await cli.RunWithInputAsync(first, "deliver", "--to", "alice", "--flag", "\\Seen", "--flag", "$Important");
        Assert.True(result.ExitCode == 0, result.ToString());
        var second = Message("second");
        Assert.Equal(0, (await cli.RunWithInputAsync(second, "deliver", "--to", "ALICE@example.com", "--mailbox", "Archive")).ExitCode);

        await using var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = cli.DataPath });
        await using var account = await store.OpenAccountAsync("alice");
        var inbox = (await account.GetMailboxAsync("INBOX"))!;
        var messages = await account.FetchAsync(inbox.Id, UidSet.All);
        var only = Assert.Single(messages);
        Assert.True(only.Flags.Has(SystemFlags.Seen));
        Assert.True(only.Flags.HasKeyword("$important"));
        await using var raw = await account.OpenMessageAsync(inbox.Id, only.Uid);
        using var copy = new MemoryStream();
        await raw.CopyToAsync(copy);
        Assert.Equal(Encoding.UTF8.GetBytes(first), copy.ToArray());

        var archive = (await account.GetMailboxAsync("Archive"))!;
        Assert.Equal(1, archive.Messages);
    }

    [Fact]
    public async Task A_missing_mailbox_falls_back_to_inbox()
    {
        await cli.RunWithInputAsync(Password + "\n", "user", "add", "alice", "--password-stdin");
        var result = await cli.RunWithInputAsync(Message("x"), "deliver", "--to", "alice", "--mailbox", "No/Such");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("does not exist", result.Error);
        await using var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = cli.DataPath });
        await using var account = await store.OpenAccountAsync("alice");
        Assert.Equal(1, (await account.GetMailboxAsync("INBOX"))!.Messages);
    }

    [Fact]
    public async Task Unknown_and_disabled_users_exit_67_and_store_nothing()
    {
        await cli.RunWithInputAsync(Password + "\n", "user", "add", "alice", "--password-stdin");
        Assert.Equal(ExitCodes.NoUser, (await cli.RunWithInputAsync(Message("x"), "deliver", "--to", "nobody")).ExitCode);
        await cli.RunAsync("user", "disable", "alice");
        Assert.Equal(ExitCodes.NoUser, (await cli.RunWithInputAsync(Message("x"), "deliver", "--to", "alice")).ExitCode);
    }

    [Fact]
    public async Task Bad_flags_are_usage_errors()
    {
        await cli.RunWithInputAsync(Password + "\n", "user", "add", "alice", "--password-stdin");
        var result = await cli.RunWithInputAsync(Message("x"), "deliver", "--to", "alice", "--flag", "bad flag");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
    }

    [Fact]
    public async Task Missing_to_is_a_usage_error_and_a_missing_store_is_reported()
    {
        Assert.NotEqual(0, (await cli.RunWithInputAsync(Message("x"), "deliver")).ExitCode);
        var noStore = await cli.RunWithInputAsync(Message("x"), "deliver", "--to", "alice");
        Assert.NotEqual(0, noStore.ExitCode);
        Assert.Contains("does not exist", noStore.Error);
    }
}
