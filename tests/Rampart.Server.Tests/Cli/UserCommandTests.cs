using Rampart.Server.Cli;

namespace Rampart.Server.Tests.Cli;

public class UserCommandTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private readonly CliRunner cli = new();

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task Add_then_list_and_show()
    {
        var add = await cli.RunWithInputAsync(Password + "\n", "user", "add", "alice", "--password-stdin", "--address", "alice@example.com", "--address", "Ally@Example.com");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("created account alice", add.Output);
        Assert.DoesNotContain(Password, add.Output);

        var list = await cli.RunAsync("user", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("alice", list.Output);
        Assert.Contains("ally@example.com", list.Output);

        var show = await cli.RunAsync("user", "show", "alice");
        Assert.True(show.ExitCode == 0, show.ToString());
        foreach (var mailbox in new[] { "INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive" })
        {
            Assert.Contains("  " + mailbox, show.Output);
        }

        Assert.Contains("password:  set", show.Output);
    }

    [Fact]
    public async Task Add_without_password_stdin_generates_and_prints_one()
    {
        var add = await cli.RunAsync("user", "add", "bob");
        Assert.True(add.ExitCode == 0, add.ToString());
        var line = add.Output.Split('\n').Single(l => l.StartsWith("password: ", StringComparison.Ordinal));
        Assert.True(line["password: ".Length..].Trim().Length >= 20);
    }

    [Fact]
    public async Task Add_twice_fails_and_keeps_the_first()
    {
        Assert.Equal(0, (await cli.RunWithInputAsync(Password + "\n", "user", "add", "carol", "--password-stdin")).ExitCode);
        var again = await cli.RunWithInputAsync(Password + "\n", "user", "add", "CAROL", "--password-stdin");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("carol", again.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Single((await cli.RunAsync("user", "list")).Output.Split('\n'), l => l.StartsWith("carol", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("short1!A")]
    [InlineData("")]
    public async Task Add_with_a_refused_password_creates_nothing(string password)
    {
        var add = await cli.RunWithInputAsync(password + "\n", "user", "add", "dave", "--password-stdin");
        Assert.NotEqual(0, add.ExitCode);
        Assert.NotEmpty(add.Error);
        var list = await cli.RunAsync("user", "list");
        Assert.DoesNotContain("dave", list.Output);
    }

    [Fact]
    public async Task Add_with_a_bad_address_or_name_fails_cleanly()
    {
        var badAddress = await cli.RunWithInputAsync(Password + "\n", "user", "add", "erin", "--password-stdin", "--address", "not an address");
        Assert.Equal(ExitCodes.Usage, badAddress.ExitCode);
        var badName = await cli.RunWithInputAsync(Password + "\n", "user", "add", "bad name/../x", "--password-stdin");
        Assert.NotEqual(0, badName.ExitCode);
        Assert.DoesNotContain("Exception", badName.Error);
    }

    [Fact]
    public async Task Passwd_changes_the_stored_credential()
    {
        await cli.RunWithInputAsync(Password + "\n", "user", "add", "frank", "--password-stdin");
        var before = await cli.RunAsync("user", "show", "frank");
        await Task.Delay(1100);
        var passwd = await cli.RunWithInputAsync("Another-Good-Passw0rd\n", "user", "passwd", "frank", "--password-stdin");
        Assert.True(passwd.ExitCode == 0, passwd.ToString());
        var after = await cli.RunAsync("user", "show", "frank");
        Assert.NotEqual(Line(before.Output, "password:"), Line(after.Output, "password:"));

        var refused = await cli.RunWithInputAsync("frankfrank-12345!\n", "user", "passwd", "frank", "--password-stdin");
        Assert.Equal(ExitCodes.DataError, refused.ExitCode);
    }

    [Fact]
    public async Task Disable_and_enable()
    {
        await cli.RunWithInputAsync(Password + "\n", "user", "add", "gina", "--password-stdin");
        Assert.Equal(0, (await cli.RunAsync("user", "disable", "gina")).ExitCode);
        Assert.Contains("disabled", Line((await cli.RunAsync("user", "list")).Output, "gina"));
        Assert.Equal(0, (await cli.RunAsync("user", "enable", "gina")).ExitCode);
        Assert.Contains("enabled", Line((await cli.RunAsync("user", "list")).Output, "gina"));
    }

    [Fact]
    public async Task Delete_asks_and_needs_the_name_or_yes()
    {
        await cli.RunWithInputAsync(Password + "\n", "user", "add", "hank", "--password-stdin");
        var refused = await cli.RunWithInputAsync("no\n", "user", "delete", "hank");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("hank", (await cli.RunAsync("user", "list")).Output);

        var confirmed = await cli.RunWithInputAsync("hank\n", "user", "delete", "hank");
        Assert.Equal(0, confirmed.ExitCode);
        Assert.DoesNotContain("hank", (await cli.RunAsync("user", "list")).Output);

        await cli.RunWithInputAsync(Password + "\n", "user", "add", "ivan", "--password-stdin");
        Assert.Equal(0, (await cli.RunAsync("user", "delete", "ivan", "--yes")).ExitCode);
    }

    [Theory]
    [InlineData("show")]
    [InlineData("passwd")]
    [InlineData("disable")]
    [InlineData("enable")]
    [InlineData("delete")]
    public async Task Verbs_on_an_unknown_user_exit_67(string verb)
    {
        await cli.RunWithInputAsync(Password + "\n", "user", "add", "judy", "--password-stdin");
        var args = verb == "delete" ? new[] { "user", verb, "nobody", "--yes" } : new[] { "user", verb, "nobody" };
        var result = await cli.RunWithInputAsync(Password + "\n", args);
        Assert.Equal(ExitCodes.NoUser, result.ExitCode);
        Assert.Contains("no account nobody", result.Error);
    }

    [Fact]
    public async Task Verbs_on_a_missing_data_directory_say_so()
    {
        var result = await cli.RunAsync("user", "list");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("does not exist", result.Error);
        Assert.False(Directory.Exists(cli.DataPath));
    }

    [Fact]
    public async Task Unknown_verbs_and_missing_arguments_are_usage_errors()
    {
        Assert.NotEqual(0, (await cli.RunAsync("user", "frobnicate")).ExitCode);
        Assert.NotEqual(0, (await cli.RunAsync("user", "add")).ExitCode);
        Assert.False(Directory.Exists(cli.DataPath));
    }

    private static string Line(string text, string start) =>
        text.Split('\n').First(l => l.TrimStart().StartsWith(start, StringComparison.Ordinal));
}
