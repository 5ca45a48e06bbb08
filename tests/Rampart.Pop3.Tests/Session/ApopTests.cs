using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Rampart.Pop3.Accounts;
using Rampart.Pop3.Tests.Support;

namespace Rampart.Pop3.Tests.Session;

#pragma warning disable CA5351 // APOP (RFC 1939 §7) and CRAM-MD5 (RFC 2195) are defined with MD5: the client side of them.

/// <summary>APOP (RFC 1939 §7) with legacy mechanisms on: the digest over the greeting's timestamp, the per-account
/// opt-in, and the timestamps themselves (SECURITY.md A09).</summary>
public sealed partial class ApopTests
{
    private const string Password = "Correct-Horse-42";

    [Fact]
    public async Task Apop_with_the_right_digest_logs_in_and_a_wrong_one_gets_the_generic_failure()
    {
        await using var environment = await TestMailEnvironment.CreateAsync();
        await EnableApopAsync(environment, await environment.AddUserAsync("alice", Password));
        await environment.DeliverAsync("alice", "Subject: a\r\n\r\na\r\n");
        var services = environment.CreateServices(legacy: true);

        var (_, session, client) = SessionTests.Start(services);
        var timestamp = Timestamp(await client.ReadLineAsync());
        await client.SendAsync("APOP alice " + Digest(timestamp, "Wrong-Horse-42"));
        await client.ExpectAsync("-ERR [AUTH] Authentication failed");
        // A digest over another greeting's timestamp (a replay) fails the same way.
        await client.SendAsync("APOP alice " + Digest("<1.2@pop3.test>", Password));
        await client.ExpectAsync("-ERR [AUTH] Authentication failed");
        await client.SendAsync("APOP alice " + Digest(timestamp, Password).ToUpperInvariant());
        await client.ExpectAsync("+OK Logged in, 1 messages");
        await client.SendAsync("QUIT");
        await client.ExpectAsync("+OK*");
        await session;
    }

    [Fact]
    public async Task Apop_for_an_account_without_it_fails_like_a_wrong_digest_even_with_the_secret_for_cram_md5()
    {
        await using var environment = await TestMailEnvironment.CreateAsync();
        await environment.AddUserAsync("bob", Password);
        // bob holds the legacy secret (CRAM-MD5) but is not an APOP account.
        await environment.Legacy.EnableAsync("bob", Password, CancellationToken.None);
        var (_, session, client) = SessionTests.Start(environment.CreateServices(legacy: true));
        var timestamp = Timestamp(await client.ReadLineAsync());
        await client.SendAsync("APOP bob " + Digest(timestamp, Password));
        await client.ExpectAsync("-ERR [AUTH] Authentication failed");
        await client.SendAsync("APOP nobody " + Digest(timestamp, Password));
        await client.ExpectAsync("-ERR [AUTH] Authentication failed");
        // USER/PASS still works for him.
        await client.SendAsync("USER bob");
        await client.ExpectAsync("+OK Send PASS");
        await client.SendAsync("PASS " + Password);
        await client.ExpectAsync("+OK Logged in, 0 messages");
        await client.SendAsync("QUIT");
        await client.ExpectAsync("+OK*");
        await session;
    }

    [Fact]
    public async Task Apop_is_off_by_default_no_timestamp_and_no_cram_md5()
    {
        await using var environment = await TestMailEnvironment.CreateAsync();
        await EnableApopAsync(environment, await environment.AddUserAsync("alice", Password));
        var (_, session, client) = SessionTests.Start(environment.CreateServices());
        var greeting = await client.ReadLineAsync();
        Assert.Equal("+OK pop3.test Rampart POP3 server ready", greeting);
        await client.SendAsync("AUTH");
        await client.ExpectAsync("+OK*");
        var mechanisms = new List<string>();
        while (await client.ReadLineAsync() is { } line && line != ".")
        {
            mechanisms.Add(line);
        }

        Assert.DoesNotContain("CRAM-MD5", mechanisms);
        await client.SendAsync("APOP alice " + Digest("<x@pop3.test>", Password));
        await client.ExpectAsync("-ERR APOP is not enabled on this server");
        await client.SendAsync("QUIT");
        await client.ExpectAsync("+OK*");
        await session;
    }

    [Fact]
    public async Task Cram_md5_is_offered_with_legacy_mechanisms_and_works_for_an_opted_in_account()
    {
        await using var environment = await TestMailEnvironment.CreateAsync();
        await environment.AddUserAsync("bob", Password);
        await environment.Legacy.EnableAsync("bob", Password, CancellationToken.None);
        var (_, session, client) = SessionTests.Start(environment.CreateServices(legacy: true));
        await client.ExpectAsync("+OK*");
        await client.SendAsync("AUTH CRAM-MD5");
        var challenge = (await client.ReadLineAsync())!;
        Assert.StartsWith("+ ", challenge, StringComparison.Ordinal);
        var text = Convert.FromBase64String(challenge[2..]);
        var response = "bob " + Convert.ToHexStringLower(HMACMD5.HashData(Encoding.UTF8.GetBytes(Password), text));
        await client.SendAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(response)));
        await client.ExpectAsync("+OK Logged in, 0 messages");
        await client.SendAsync("QUIT");
        await client.ExpectAsync("+OK*");
        await session;
    }

    [Fact]
    public async Task Greeting_timestamps_are_unique_over_a_thousand_greetings()
    {
        await using var environment = await TestMailEnvironment.CreateAsync();
        var services = environment.CreateServices(legacy: true);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 1000; i++)
        {
            var (_, session, client) = SessionTests.Start(services);
            var timestamp = Timestamp(await client.ReadLineAsync());
            // RFC 1939 §7: msg-id syntax, and it must differ every time; 64 random bits make it unpredictable.
            Assert.Matches(@"^<[0-9a-f]{16}\.\d+@pop3\.test>$", timestamp);
            Assert.True(seen.Add(timestamp), $"timestamp {timestamp} repeated");
            await client.CloseAsync();
            await session;
        }
    }

    internal static async Task EnableApopAsync(TestMailEnvironment environment, Store.Model.Account account)
    {
        await environment.Legacy.EnableAsync(account.Name, Password, CancellationToken.None);
        await Pop3AccountSettings.WriteAsync(environment.Store, account.Id, Pop3AccountSettings.Default with { Apop = true }, CancellationToken.None);
    }

    internal static string Digest(string timestamp, string password) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(timestamp + password)));

    private static string Timestamp(string? greeting)
    {
        var match = TimestampPattern().Match(greeting ?? "");
        Assert.True(match.Success, $"no APOP timestamp in '{greeting}'");
        return match.Value;
    }

    [GeneratedRegex(@"<[^<>]+>$")]
    private static partial Regex TimestampPattern();
}
