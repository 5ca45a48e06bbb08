using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using OtpNet;
using Rampart.Server.Tests.Support;

namespace Rampart.Server.Tests.Security;

/// <summary>SECURITY.md F01 over the real server and real TLS: once an account has two factors (enrolled with the CLI,
/// the test playing the authenticator app), IMAP, POP3 and submission refuse its main password with the generic
/// failure, and take an app password.</summary>
public sealed partial class TwoFactorOnTheWireTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "rampart-f01-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task F01_with_two_factors_the_main_password_is_refused_on_imap_pop3_and_submission_and_an_app_password_works()
    {
        await using var server = await GuardedServer.StartAsync(data, new Dictionary<string, string>(), "frank");
        var client = IPAddress.Loopback;

        // Before enrollment the main password works, so what follows is the second factor's doing.
        Assert.StartsWith("a1 OK", await ImapLoginAsync(server, client, GuardedServer.Password), StringComparison.Ordinal);

        await EnrollAsync("frank");
        var created = await RampartProcess.RunAsync(string.Empty, "app-password", "create", "frank", "--label", "laptop", "--data", data);
        Assert.True(created.ExitCode == 0, created.Error + created.Output);
        var appPassword = AppPasswordPattern().Match(created.Output);
        Assert.True(appPassword.Success, created.Output);

        Assert.StartsWith("a1 NO [AUTHENTICATIONFAILED]", await ImapLoginAsync(server, client, GuardedServer.Password), StringComparison.Ordinal);
        Assert.StartsWith("-ERR", await Pop3LoginAsync(server, client, GuardedServer.Password), StringComparison.Ordinal);
        Assert.StartsWith("535", await SubmissionAuthAsync(server, client, GuardedServer.Password), StringComparison.Ordinal);

        Assert.StartsWith("a1 OK", await ImapLoginAsync(server, client, appPassword.Value), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await Pop3LoginAsync(server, client, appPassword.Value), StringComparison.Ordinal);
        Assert.StartsWith("235", await SubmissionAuthAsync(server, client, appPassword.Value), StringComparison.Ordinal);
    }

    private Task EnrollAsync(string user) => TwoFactorEnrollment.EnrollAsync(user, data);

    private static async Task<string> ImapLoginAsync(GuardedServer server, IPAddress client, string password)
    {
        await using var imap = await LoopbackTlsClient.ConnectAsync(server.Imaps, client);
        await imap.ReadLineAsync();
        return await imap.CommandAsync($"a1 LOGIN frank \"{password}\"");
    }

    private static async Task<string> Pop3LoginAsync(GuardedServer server, IPAddress client, string password)
    {
        await using var pop3 = await LoopbackTlsClient.ConnectAsync(server.Pop3s, client);
        await pop3.ReadLineAsync();
        Assert.StartsWith("+OK", await pop3.CommandAsync("USER frank"), StringComparison.Ordinal);
        return await pop3.CommandAsync("PASS " + password);
    }

    private static async Task<string> SubmissionAuthAsync(GuardedServer server, IPAddress client, string password)
    {
        await using var smtp = await LoopbackTlsClient.ConnectAsync(server.Submissions, client);
        await smtp.SmtpReplyAsync();
        await smtp.SmtpCommandAsync("EHLO client.test");
        return await smtp.SmtpCommandAsync("AUTH PLAIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes("\0frank\0" + password)));
    }

    [GeneratedRegex(@"\b[a-z2-9]{4}(-[a-z2-9]{4}){4}\b")]
    private static partial Regex AppPasswordPattern();
}
