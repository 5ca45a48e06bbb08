using System.Net;
using System.Text;

namespace Rampart.Server.Tests.Security;

/// <summary>The brute-force guard end to end over the real server and real TLS (SECURITY.md B01, B02, B04, B05, B06): one
/// counter per client address across IMAP, POP3 and submission, an automatic ban refused before the greeting on every
/// listener, a repeated wrong password that never adds up to a ban, a trusted network that is never banned, and an
/// account throttled by failures from many addresses that still lets its owner's network and app passwords in. Each
/// client plays its own loopback address (127.0.0.0/8), so the addresses do not share counters. Delays are shortened
/// to milliseconds; nothing here measures time.</summary>
public sealed class GuardAcrossProtocolsTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "rampart-guard-" + Guid.NewGuid().ToString("N")[..8]);

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
    public async Task B06_failures_on_imap_pop3_and_submission_add_up_to_one_ban_refused_before_every_greeting()
    {
        await using var server = await StartAsync(banThreshold: 6);
        var attacker = IPAddress.Parse("127.0.0.2");

        // Two failures on each protocol, each below the per-session limit of 3: six in all, the ban threshold.
        await using (var imap = await LoopbackTlsClient.ConnectAsync(server.Imaps, attacker))
        {
            Assert.StartsWith("* OK", await imap.ReadLineAsync(), StringComparison.Ordinal);
            Assert.StartsWith("a1 NO [AUTHENTICATIONFAILED]", await imap.CommandAsync("a1 LOGIN alice wrong-1"), StringComparison.Ordinal);
            Assert.StartsWith("a2 NO [AUTHENTICATIONFAILED]", await imap.CommandAsync("a2 LOGIN alice wrong-2"), StringComparison.Ordinal);
        }

        await using (var pop3 = await LoopbackTlsClient.ConnectAsync(server.Pop3s, attacker))
        {
            Assert.StartsWith("+OK", await pop3.ReadLineAsync(), StringComparison.Ordinal);
            foreach (var guess in new[] { "wrong-3", "wrong-4" })
            {
                Assert.StartsWith("+OK", await pop3.CommandAsync("USER alice"), StringComparison.Ordinal);
                Assert.StartsWith("-ERR", await pop3.CommandAsync("PASS " + guess), StringComparison.Ordinal);
            }
        }

        await using (var smtp = await LoopbackTlsClient.ConnectAsync(server.Submissions, attacker))
        {
            Assert.StartsWith("220", await smtp.SmtpReplyAsync(), StringComparison.Ordinal);
            Assert.StartsWith("250", await smtp.SmtpCommandAsync("EHLO client.test"), StringComparison.Ordinal);
            Assert.StartsWith("535", await smtp.SmtpCommandAsync("AUTH PLAIN " + Plain("alice", "wrong-5")), StringComparison.Ordinal);
            // The sixth failure bans; its reply is not asserted (a refusal or a close), only what follows.
            try
            {
                await smtp.SmtpCommandAsync("AUTH PLAIN " + Plain("alice", "wrong-6"));
            }
            catch (IOException)
            {
            }
        }

        Assert.True(await EventuallyAsync(() => LoopbackTlsClient.IsClosedAtOnceAsync(server.Imaps, attacker)), "the banned address was still admitted to IMAP");
        Assert.True(await LoopbackTlsClient.IsClosedAtOnceAsync(server.Pop3s, attacker), "the banned address was still admitted to POP3");
        Assert.True(await LoopbackTlsClient.IsClosedAtOnceAsync(server.Submissions, attacker), "the banned address was still admitted to submission");

        // The ban is the address's, not the account's: the owner elsewhere still logs in (below the account throttle).
        await using var owner = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Loopback);
        Assert.StartsWith("* OK", await owner.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("b1 OK", await owner.CommandAsync("b1 LOGIN alice " + GuardedServer.Password), StringComparison.Ordinal);

        var bans = await RampartProcess.RunAsync(string.Empty, "ban", "list", "--data", data);
        Assert.Contains("127.0.0.2", bans.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task B01_the_third_failed_auth_on_submission_ends_the_session()
    {
        await using var server = await StartAsync(banThreshold: 20);
        await using var smtp = await LoopbackTlsClient.ConnectAsync(server.Submissions, IPAddress.Parse("127.0.0.4"));
        Assert.StartsWith("220", await smtp.SmtpReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.SmtpCommandAsync("EHLO client.test"), StringComparison.Ordinal);
        Assert.StartsWith("535", await smtp.SmtpCommandAsync("AUTH PLAIN " + Plain("alice", "wrong-1")), StringComparison.Ordinal);
        Assert.StartsWith("535", await smtp.SmtpCommandAsync("AUTH PLAIN " + Plain("alice", "wrong-2")), StringComparison.Ordinal);
        await smtp.SmtpCommandAsync("AUTH PLAIN " + Plain("alice", "wrong-3"));
        Assert.True(await smtp.IsClosedAsync(), "the session went on after its third failure");
    }

    [Fact]
    public async Task B02_a_repeated_wrong_password_never_reaches_the_ban_distinct_ones_do_and_trusted_networks_are_spared()
    {
        await using var server = await StartAsync(banThreshold: 3, trusted: "127.0.0.5");

        // A phone with a stale password: the same wrong one six times over three sessions counts once.
        var phone = IPAddress.Parse("127.0.0.3");
        for (var session = 0; session < 3; session++)
        {
            await TwoFailuresAsync(server.Imaps, phone, "Stale-Password-1", "Stale-Password-1");
        }

        await using (var still = await LoopbackTlsClient.ConnectAsync(server.Imaps, phone))
        {
            Assert.StartsWith("* OK", await still.ReadLineAsync(), StringComparison.Ordinal);
        }

        // Two new wrong passwords make three distinct ones: the threshold.
        await TwoFailuresAsync(server.Imaps, phone, "Guess-2", "Guess-3");
        Assert.True(await EventuallyAsync(() => LoopbackTlsClient.IsClosedAtOnceAsync(server.Imaps, phone)), "three distinct wrong passwords did not ban");

        // The trusted address guesses just as often and is never banned.
        var office = IPAddress.Parse("127.0.0.5");
        await TwoFailuresAsync(server.Imaps, office, "Guess-1", "Guess-2");
        await TwoFailuresAsync(server.Imaps, office, "Guess-3", "Guess-4");
        Assert.False(await LoopbackTlsClient.IsClosedAtOnceAsync(server.Imaps, office), "a trusted address was banned");
    }

    [Fact]
    public async Task B04_failures_from_many_addresses_throttle_the_account_yet_the_owner_and_app_passwords_get_in()
    {
        await using var server = await StartAsync(banThreshold: 20);
        var created = await RampartProcess.RunAsync(string.Empty, "app-password", "create", "alice", "--label", "phone", "--data", data);
        Assert.True(created.ExitCode == 0, created.Error + created.Output);
        var appPassword = System.Text.RegularExpressions.Regex.Match(created.Output, @"\b[a-z2-9]{4}(-[a-z2-9]{4}){4}\b");
        Assert.True(appPassword.Success, created.Output);

        // The owner's network (127.0.0.0/24) becomes known by one successful login.
        await using (var owner = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Loopback))
        {
            await owner.ReadLineAsync();
            Assert.StartsWith("a1 OK", await owner.CommandAsync("a1 LOGIN alice " + GuardedServer.Password), StringComparison.Ordinal);
        }

        // Ten addresses, one wrong password each: no address is delayed much or banned, but the account is throttled.
        for (var i = 1; i <= 10; i++)
        {
            await using var guesser = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Parse("127.0.2." + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await guesser.ReadLineAsync();
            Assert.StartsWith("g NO", await guesser.CommandAsync("g LOGIN alice Guess-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), StringComparison.Ordinal);
        }

        // The right main password from a network the account never used: refused with the generic failure.
        await using (var stranger = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Parse("127.0.3.1")))
        {
            await stranger.ReadLineAsync();
            Assert.StartsWith("s1 NO [AUTHENTICATIONFAILED]", await stranger.CommandAsync("s1 LOGIN alice " + GuardedServer.Password), StringComparison.Ordinal);
        }

        // The owner from the known network, and an app password from anywhere, still get in.
        await using (var owner = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Parse("127.0.0.9")))
        {
            await owner.ReadLineAsync();
            Assert.StartsWith("o1 OK", await owner.CommandAsync("o1 LOGIN alice " + GuardedServer.Password), StringComparison.Ordinal);
        }

        await using var phone = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Parse("127.0.3.2"));
        await phone.ReadLineAsync();
        Assert.StartsWith("p1 OK", await phone.CommandAsync("p1 LOGIN alice " + appPassword.Value), StringComparison.Ordinal);
    }

    private static async Task TwoFailuresAsync(int port, IPAddress local, string first, string second)
    {
        await using var imap = await LoopbackTlsClient.ConnectAsync(port, local);
        Assert.StartsWith("* OK", await imap.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("a1 NO [AUTHENTICATIONFAILED]", await imap.CommandAsync("a1 LOGIN alice " + first), StringComparison.Ordinal);
        Assert.StartsWith("a2 NO [AUTHENTICATIONFAILED]", await imap.CommandAsync("a2 LOGIN alice " + second), StringComparison.Ordinal);
    }

    private Task<GuardedServer> StartAsync(int banThreshold, string? trusted = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Security:Guard:BanThreshold"] = banThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (trusted is not null)
        {
            settings["Security:Guard:TrustedNetworks:0"] = trusted;
        }

        return GuardedServer.StartAsync(data, settings, "alice");
    }

    private static string Plain(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + password));

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 20; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }
}
