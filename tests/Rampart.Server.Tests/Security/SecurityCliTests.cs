using System.Text.RegularExpressions;
using OtpNet;
using Rampart.Server.Cli;
using Rampart.Server.Tests.Cli;

namespace Rampart.Server.Tests.Security;

public partial class SecurityCliTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private readonly CliRunner cli = new();

    public void Dispose() => cli.Dispose();

    private async Task AddUserAsync(string name, string password = Password)
    {
        var add = await cli.RunWithInputAsync(password + "\n", "user", "add", name, "--password-stdin");
        Assert.True(add.ExitCode == 0, add.ToString());
    }

    [Theory]
    [InlineData("Short-1!", "shorter than 12")]
    [InlineData("alllowercase-words-1", "upper-case")]
    [InlineData("P@ssw0rd2024!", "common")]
    [InlineData("Alice-Rocks-2026!", "account name")]
    public async Task P02_user_add_refuses_with_65_and_the_reason(string password, string reason)
    {
        var add = await cli.RunWithInputAsync(password + "\n", "user", "add", "alice", "--password-stdin");
        Assert.Equal(ExitCodes.DataError, add.ExitCode);
        Assert.Contains("password refused", add.Error);
        Assert.Contains(reason, add.Error);
        Assert.DoesNotContain("alice", (await cli.RunAsync("user", "list")).Output);
    }

    [Fact]
    public async Task P02_user_passwd_refuses_the_last_five()
    {
        await AddUserAsync("bob");
        var again = await cli.RunWithInputAsync(Password + "\n", "user", "passwd", "bob", "--password-stdin");
        Assert.Equal(ExitCodes.DataError, again.ExitCode);
        Assert.Contains("last 5", again.Error);
        Assert.Equal(0, (await cli.RunWithInputAsync("Second-Good-Phrase-2\n", "user", "passwd", "bob", "--password-stdin")).ExitCode);
    }

    [Fact]
    public async Task Passwd_needs_the_current_password_first()
    {
        await AddUserAsync("carol");
        var wrong = await cli.RunWithInputAsync("Not-The-Password-1\nNew-Good-Phrase-3x\n", "passwd", "carol");
        Assert.Equal(ExitCodes.Failure, wrong.ExitCode);
        Assert.Contains("current password is wrong", wrong.Error);

        var unknown = await cli.RunWithInputAsync(Password + "\nNew-Good-Phrase-3x\n", "passwd", "nobody");
        Assert.Equal(wrong.ExitCode, unknown.ExitCode);
        Assert.Equal(wrong.Error, unknown.Error);

        var weak = await cli.RunWithInputAsync(Password + "\nweak\n", "passwd", "carol");
        Assert.Equal(ExitCodes.DataError, weak.ExitCode);

        var missing = await cli.RunWithInputAsync(Password + "\n", "passwd", "carol");
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);

        var ok = await cli.RunWithInputAsync(Password + "\nNew-Good-Phrase-3x\n", "passwd", "carol");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("password changed for carol", ok.Output);
        var old = await cli.RunWithInputAsync(Password + "\nOther-Good-Phrase-4x\n", "passwd", "carol");
        Assert.Equal(ExitCodes.Failure, old.ExitCode);
    }

    [Fact]
    public async Task Ban_add_list_remove_and_errors()
    {
        await AddUserAsync("dave");
        Assert.Contains("no bans", (await cli.RunAsync("ban", "list")).Output);

        var add = await cli.RunAsync("ban", "add", "192.0.2.7", "--duration", "2h", "--reason", "scanner");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("banned 192.0.2.7/32 until", add.Output);
        Assert.Equal(0, (await cli.RunAsync("ban", "add", "2001:db8:1::/48")).ExitCode);
        Assert.True(File.Exists(Path.Combine(cli.DataPath, "guard", "bans.json")));

        var list = await cli.RunAsync("ban", "list");
        Assert.Contains("192.0.2.7/32", list.Output);
        Assert.Contains("admin: scanner", list.Output);
        Assert.Contains("2001:db8:1::/48", list.Output);
        Assert.Contains("permanent", list.Output);

        Assert.Equal(0, (await cli.RunAsync("ban", "remove", "192.0.2.7")).ExitCode);
        Assert.DoesNotContain("192.0.2.7", (await cli.RunAsync("ban", "list")).Output);
        var none = await cli.RunAsync("ban", "remove", "192.0.2.7");
        Assert.Equal(ExitCodes.Failure, none.ExitCode);
        Assert.Contains("no ban on", none.Error);

        Assert.Equal(ExitCodes.Usage, (await cli.RunAsync("ban", "add", "192.0.2.999")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await cli.RunAsync("ban", "add", "192.0.2.1/24")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await cli.RunAsync("ban", "add", "192.0.2.1", "--duration", "forever")).ExitCode);
    }

    [Fact]
    public async Task Ban_on_a_missing_data_directory_fails_cleanly()
    {
        var list = await cli.RunAsync("ban", "list");
        Assert.NotEqual(0, list.ExitCode);
        Assert.Contains("does not exist", list.Error);
    }

    [Fact]
    public async Task Access_rules_server_wide_and_per_user()
    {
        await AddUserAsync("erin");
        Assert.Contains("no rules (server-wide)", (await cli.RunAsync("access", "list")).Output);

        Assert.Equal(0, (await cli.RunAsync("access", "deny", "198.51.100.0/24")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("access", "allow", "--protocol", "IMAP", "::ffff:192.0.2.0/120")).ExitCode);
        var server = await cli.RunAsync("access", "list");
        Assert.Contains("deny   198.51.100.0/24", server.Output);
        Assert.Contains("allow  192.0.2.0/24", server.Output);
        Assert.Contains("imap", server.Output);

        var user = await cli.RunAsync("access", "allow", "--user", "ERIN", "10.0.0.0/8");
        Assert.True(user.ExitCode == 0, user.ToString());
        Assert.Contains("(erin)", user.Output);
        Assert.Contains("allow  10.0.0.0/8", (await cli.RunAsync("access", "list", "--user", "erin")).Output);
        Assert.DoesNotContain("10.0.0.0/8", (await cli.RunAsync("access", "list")).Output);

        Assert.Equal(0, (await cli.RunAsync("access", "remove", "--user", "erin", "10.0.0.0/8")).ExitCode);
        Assert.Contains("no rules (erin)", (await cli.RunAsync("access", "list", "--user", "erin")).Output);
        Assert.Equal(ExitCodes.Failure, (await cli.RunAsync("access", "remove", "--user", "erin", "10.0.0.0/8")).ExitCode);

        Assert.Equal(ExitCodes.Usage, (await cli.RunAsync("access", "deny", "not-a-network")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await cli.RunAsync("access", "deny", "--protocol", "ftp", "10.0.0.0/8")).ExitCode);
        Assert.Equal(ExitCodes.NoUser, (await cli.RunAsync("access", "deny", "--user", "nobody", "10.0.0.0/8")).ExitCode);
    }

    [Fact]
    public async Task App_password_create_list_revoke()
    {
        await AddUserAsync("fay");
        var create = await cli.RunAsync("app-password", "create", "fay", "--label", "phone", "--protocols", "imap,smtp", "--network", "192.0.2.0/24");
        Assert.True(create.ExitCode == 0, create.ToString());
        var password = AppPasswordPattern().Match(create.Output);
        Assert.True(password.Success, create.Output);
        Assert.Contains("shown once", create.Output);

        var list = await cli.RunAsync("app-password", "list", "fay");
        Assert.Contains("phone", list.Output);
        Assert.Contains("imap,smtp from 192.0.2.0/24", list.Output);
        Assert.Contains("never used", list.Output);
        Assert.DoesNotContain(password.Value, list.Output);

        var duplicate = await cli.RunAsync("app-password", "create", "fay", "--label", "PHONE");
        Assert.Equal(ExitCodes.Usage, duplicate.ExitCode);
        Assert.Equal(ExitCodes.Usage, (await cli.RunAsync("app-password", "create", "fay", "--label", "x", "--protocols", "ftp")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await cli.RunAsync("app-password", "create", "fay", "--label", "y", "--network", "nope")).ExitCode);
        Assert.NotEqual(0, (await cli.RunAsync("app-password", "create", "fay")).ExitCode);
        Assert.Equal(ExitCodes.NoUser, (await cli.RunAsync("app-password", "list", "nobody")).ExitCode);

        Assert.Equal(0, (await cli.RunAsync("app-password", "revoke", "fay", "phone")).ExitCode);
        Assert.Contains("no app passwords", (await cli.RunAsync("app-password", "list", "fay")).Output);
        Assert.Equal(ExitCodes.Failure, (await cli.RunAsync("app-password", "revoke", "fay", "phone")).ExitCode);
    }

    [Fact]
    public async Task Two_factor_enable_verifies_one_code_and_prints_recovery_codes()
    {
        await AddUserAsync("gus");

        // A wrong code leaves two factors off.
        var wrong = await cli.RunWithInputAsync("000000\n", "user", "2fa", "enable", "gus");
        Assert.Equal(ExitCodes.DataError, wrong.ExitCode);
        Assert.Contains("code refused", wrong.Error);
        Assert.Contains("off", (await cli.RunAsync("user", "2fa", "status", "gus")).Output);

        // Enrollment prints the URI and a QR code; the code is computed from the URI's secret, as the app would.
        var first = await cli.RunWithInputAsync(string.Empty, "user", "2fa", "enable", "gus");
        Assert.Equal(ExitCodes.Usage, first.ExitCode);
        Assert.Matches(SecretPattern(), first.Output);
        Assert.Contains("otpauth://totp/Rampart:gus?secret=", first.Output);
        Assert.Contains("█", first.Output);

        var attempt = await cli.RunWithInputAsync("pending\n", "user", "2fa", "enable", "gus", "--no-qr");
        Assert.Equal(ExitCodes.DataError, attempt.ExitCode);
        Assert.DoesNotContain("█", attempt.Output);

        var enable = await RetryWithCodeAsync("gus");
        Assert.True(enable.ExitCode == 0, enable.ToString());
        Assert.Contains("two-factor authentication is on for gus", enable.Output);
        Assert.Equal(10, RecoveryPattern().Count(enable.Output));
        Assert.Contains("10 recovery codes left", (await cli.RunAsync("user", "2fa", "status", "gus")).Output);
        Assert.Equal(ExitCodes.Failure, (await cli.RunWithInputAsync("123456\n", "user", "2fa", "enable", "gus")).ExitCode);

        Assert.Equal(0, (await cli.RunAsync("user", "2fa", "disable", "gus")).ExitCode);
        Assert.Contains("off", (await cli.RunAsync("user", "2fa", "status", "gus")).Output);
        Assert.Equal(ExitCodes.NoUser, (await cli.RunAsync("user", "2fa", "status", "nobody")).ExitCode);
    }

    private async Task<CliResult> RetryWithCodeAsync(string user)
    {
        // The code must come from the seed this very run prints, so feed stdin through a pipe written after reading stdout.
        var output = new StringWriter();
        var error = new StringWriter();
        using var input = new CodeFeedingStream(output);
        var code = await new RampartCli(output, error, input).RunAsync(["user", "2fa", "enable", user, "--no-qr", "--data", cli.DataPath]);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    [GeneratedRegex(@"\b[a-z2-9]{4}(-[a-z2-9]{4}){4}\b")]
    private static partial Regex AppPasswordPattern();

    [GeneratedRegex(@"secret=([A-Z2-7]+)")]
    private static partial Regex SecretPattern();

    [GeneratedRegex(@"^  [a-z2-9]{5}-[a-z2-9]{5}$", RegexOptions.Multiline)]
    private static partial Regex RecoveryPattern();

    /// <summary>Standard input that, when first read, computes the current TOTP code from the secret the verb has
    /// already printed: the test plays the authenticator app.</summary>
    private sealed class CodeFeedingStream(StringWriter output) : Stream
    {
        private byte[]? line;
        private int position;

        public override int ReadByte()
        {
            if (line is null)
            {
                var secret = SecretPattern().Match(output.ToString()).Groups[1].Value;
                line = System.Text.Encoding.ASCII.GetBytes(new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp() + "\n");
            }

            return position < line.Length ? line[position++] : -1;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var b = ReadByte();
            if (b < 0)
            {
                return 0;
            }

            buffer[offset] = (byte)b;
            return 1;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
