using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Rampart.Security.Credentials;
using Rampart.Security.Passwords;
using Rampart.Server.Tests.Support;
using Rampart.Store.Sqlite;

namespace Rampart.Server.Tests.Security;

/// <summary>Account security over real sessions: <c>rampart serve</c> as a child process, IMAP and POP3 over TLS on
/// loopback, several clients told apart by their source address (127.0.0.x). C01 session limits, P03 expiry, F02
/// revocation, A04 SCRAM replay, and a ban that lands while a client is mid-AUTHENTICATE.</summary>
public sealed partial class SessionSecurityTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private readonly RunningServer server = new("sessions");

    public void Dispose() => server.Dispose();

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private async Task<WireClient> ImapLoginAsync(string user, string secret, string source = "127.0.0.1", string tag = "a")
    {
        var imap = await WireClient.ConnectAsync(server.Imaps, "imap", source);
        Assert.StartsWith("* OK", await imap.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith(tag + " OK", await imap.ImapAsync($"{tag} LOGIN {user} {secret}"), StringComparison.Ordinal);
        return imap;
    }

    private async Task<string> ImapLoginReplyAsync(string user, string secret, string source = "127.0.0.1")
    {
        await using var imap = await WireClient.ConnectAsync(server.Imaps, "imap", source);
        await imap.ReadLineAsync();
        return await imap.ImapAsync($"x LOGIN {user} {secret}");
    }

    private async Task<(WireClient Client, string Reply)> Pop3LoginAsync(string user, string secret, string source = "127.0.0.1")
    {
        var pop3 = await WireClient.ConnectAsync(server.Pop3s, "pop3", source);
        Assert.StartsWith("+OK", await pop3.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await pop3.Pop3Async("USER " + user), StringComparison.Ordinal);
        return (pop3, await pop3.Pop3Async("PASS " + secret));
    }

    [Fact]
    public async Task C01_over_the_session_limits_imap_says_LIMIT_pop3_SYS_TEMP_and_open_sessions_go_on()
    {
        await server.CliAsync(Password + "\n", "user", "add", "carl", "--password-stdin");
        server.Start(new Dictionary<string, string> { ["Security__SessionsPerUserAndIp"] = "2", ["Security__SessionsPerAccount"] = "3" });

        // Per account and client: two from 127.0.0.1, the third refused on IMAP and on POP3 (one count across protocols).
        await using var first = await ImapLoginAsync("carl", Password);
        await using var second = await ImapLoginAsync("carl", Password);
        Assert.Equal("x NO [LIMIT] Too many sessions", await ImapLoginReplyAsync("carl", Password));
        var (pop3, reply) = await Pop3LoginAsync("carl", Password);
        await using (pop3)
        {
            Assert.StartsWith("-ERR [SYS/TEMP]", reply, StringComparison.Ordinal);
        }

        // Per account: a third client address gets the third session, a fourth address is refused.
        await using var third = await ImapLoginAsync("carl", Password, "127.0.0.2");
        Assert.Equal("x NO [LIMIT] Too many sessions", await ImapLoginReplyAsync("carl", Password, "127.0.0.3"));
        var (pop3Other, replyOther) = await Pop3LoginAsync("carl", Password, "127.0.0.3");
        await using (pop3Other)
        {
            Assert.StartsWith("-ERR [SYS/TEMP]", replyOther, StringComparison.Ordinal);
        }

        // The sessions already open are untouched.
        Assert.StartsWith("b OK", await first.ImapAsync("b SELECT INBOX"), StringComparison.Ordinal);
        Assert.StartsWith("b OK", await second.ImapAsync("b NOOP"), StringComparison.Ordinal);
        Assert.StartsWith("b OK", await third.ImapAsync("b NOOP"), StringComparison.Ordinal);

        // Ending one frees its place.
        Assert.StartsWith("c OK", await first.ImapAsync("c LOGOUT"), StringComparison.Ordinal);
        Assert.True(await first.ClosedWithinAsync(TimeSpan.FromSeconds(10)));
        await using var again = await ImapLoginAsync("carl", Password, "127.0.0.3");
    }

    [Fact]
    public async Task P03_expired_password_refused_with_how_to_change_and_F02_revoked_app_password_ends_open_sessions()
    {
        await server.CliAsync(Password + "\n", "user", "add", "erin", "--password-stdin");
        var appPassword = AppPasswordPattern().Match(await server.CliAsync(string.Empty, "app-password", "create", "erin", "--label", "phone")).Value;
        Assert.NotEmpty(appPassword);

        // Age the password past the default 90 days, as if set long ago (the server is not running yet).
        await using (var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = server.Data }))
        {
            var account = await store.FindAccountAsync("erin");
            var old = PasswordCredential.Create(Password, new PasswordHasher(), DateTimeOffset.UtcNow.AddDays(-100));
            await store.SetSecretAsync(account!.Id, SecretKinds.Password, old.Serialize());
        }

        server.Start();

        var expired = await ImapLoginReplyAsync("erin", Password);
        Assert.StartsWith("x NO [EXPIRED] ", expired, StringComparison.Ordinal);
        Assert.Contains("rampart passwd", expired, StringComparison.Ordinal);
        var (pop3Expired, pop3Reply) = await Pop3LoginAsync("erin", Password);
        await using (pop3Expired)
        {
            Assert.StartsWith("-ERR [AUTH] ", pop3Reply, StringComparison.Ordinal);
            Assert.Contains("rampart passwd", pop3Reply, StringComparison.Ordinal);
        }

        // The app password is not the expired password: it logs in on both protocols.
        await using var imap = await ImapLoginAsync("erin", appPassword);
        var (pop3, reply) = await Pop3LoginAsync("erin", appPassword);
        await using (pop3)
        {
            Assert.StartsWith("+OK", reply, StringComparison.Ordinal);

            // F02: revoked by the CLI (another process), the device's open sessions end within 60 s.
            await server.CliAsync(string.Empty, "app-password", "revoke", "erin", "phone");
            var closing = new[] { imap.ClosedWithinAsync(TimeSpan.FromSeconds(60)), pop3.ClosedWithinAsync(TimeSpan.FromSeconds(60)) };
            var closed = await Task.WhenAll(closing);
            Assert.True(closed[0], "the IMAP session went on");
            Assert.True(closed[1], "the POP3 session went on");
        }

        Assert.Equal("x NO [AUTHENTICATIONFAILED] Authentication failed", await ImapLoginReplyAsync("erin", appPassword));
    }

    [Fact]
    public async Task A04_scram_over_imap_succeeds_once_and_a_replayed_final_message_fails()
    {
        await server.CliAsync(Password + "\n", "user", "add", "sara", "--password-stdin");
        server.Start();

        string replayed;
        await using (var imap = await WireClient.ConnectAsync(server.Imaps, "imap"))
        {
            await imap.ReadLineAsync();
            var clientFirstBare = "n=sara,r=" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
            await imap.SendAsync("a AUTHENTICATE SCRAM-SHA-256 " + Base64("n,," + clientFirstBare) + "\r\n");
            var serverFirst = Encoding.UTF8.GetString(Convert.FromBase64String((await imap.ReadLineAsync())[2..]));
            replayed = ClientFinal(clientFirstBare, serverFirst, Password, out var serverSignature);
            await imap.SendAsync(Base64(replayed) + "\r\n");
            var final = await imap.ReadLineAsync();
            Assert.StartsWith("+ ", final, StringComparison.Ordinal);
            Assert.Equal("v=" + serverSignature, Encoding.UTF8.GetString(Convert.FromBase64String(final[2..])));
            await imap.SendAsync("\r\n");
            Assert.StartsWith("a OK", await imap.ReadLineAsync(), StringComparison.Ordinal);
        }

        // The same client-final message in a new exchange: the server's nonce differs, so the proof cannot match.
        await using (var imap = await WireClient.ConnectAsync(server.Imaps, "imap"))
        {
            await imap.ReadLineAsync();
            var clientFirstBare = "n=sara,r=" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
            await imap.SendAsync("b AUTHENTICATE SCRAM-SHA-256 " + Base64("n,," + clientFirstBare) + "\r\n");
            Assert.StartsWith("+ ", await imap.ReadLineAsync(), StringComparison.Ordinal);
            await imap.SendAsync(Base64(replayed) + "\r\n");
            var reply = await imap.ReadLineAsync();
            Assert.StartsWith("b NO", reply, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_ban_landing_mid_AUTHENTICATE_refuses_the_login_and_the_next_connection_before_the_greeting()
    {
        await server.CliAsync(Password + "\n", "user", "add", "dan", "--password-stdin");
        server.Start(new Dictionary<string, string> { ["Security__Guard__BanReloadInterval"] = "00:00:00.200" });

        await using var midway = await WireClient.ConnectAsync(server.Imaps, "imap", "127.0.0.4");
        await midway.ReadLineAsync();
        await midway.SendAsync("a AUTHENTICATE PLAIN\r\n");
        Assert.StartsWith("+", await midway.ReadLineAsync(), StringComparison.Ordinal);

        await server.CliAsync(string.Empty, "ban", "add", "127.0.0.4", "--reason", "test");
        var refused = false;
        for (var i = 0; i < 50 && !refused; i++)
        {
            refused = await RefusedBeforeGreetingAsync(server.Imaps, "127.0.0.4");
            if (!refused)
            {
                await Task.Delay(200);
            }
        }

        Assert.True(refused, "a new connection from the banned address was let in");

        // The client that was already in the middle of AUTHENTICATE sends the right password: still refused.
        await midway.SendAsync(Base64("\0dan\0" + Password) + "\r\n");
        // The guard answers a banned client at its next attempt by ending the session (IMAP says BYE first).
        var reply = await midway.TryReadLineAsync(TimeSpan.FromSeconds(30));
        Assert.True(reply is null || reply.StartsWith("* BYE", StringComparison.Ordinal) || reply.StartsWith("a NO", StringComparison.Ordinal), reply);
        Assert.True(await midway.ClosedWithinAsync(TimeSpan.FromSeconds(30)), "the banned client's session went on");

        // Other clients are not affected.
        await using var other = await ImapLoginAsync("dan", Password, "127.0.0.5");
    }

    /// <summary>True when the server closes a new connection from <paramref name="source"/> before any greeting: the
    /// TLS handshake fails or the first read finds the end of the stream.</summary>
    private static async Task<bool> RefusedBeforeGreetingAsync(int port, string source)
    {
        try
        {
            await using var client = await WireClient.ConnectAsync(port, "imap", source);
            return await client.TryReadLineAsync(TimeSpan.FromSeconds(10)) is null;
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or System.Net.Sockets.SocketException)
        {
            return true;
        }
    }

    /// <summary>SCRAM-SHA-256 client-final-message (RFC 5802 §3, RFC 7677) for an ASCII password, and the server
    /// signature the server must send back.</summary>
    private static string ClientFinal(string clientFirstBare, string serverFirst, string password, out string serverSignature)
    {
        var attributes = serverFirst.Split(',').ToDictionary(a => a[..1], a => a[2..]);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(attributes["s"]), int.Parse(attributes["i"], System.Globalization.CultureInfo.InvariantCulture), HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var withoutProof = "c=" + Base64("n,,") + ",r=" + attributes["r"];
        var authMessage = Encoding.UTF8.GetBytes(clientFirstBare + "," + serverFirst + "," + withoutProof);
        var signature = HMACSHA256.HashData(storedKey, authMessage);
        var proof = clientKey.Zip(signature, (a, b) => (byte)(a ^ b)).ToArray();
        serverSignature = Convert.ToBase64String(HMACSHA256.HashData(HMACSHA256.HashData(salted, "Server Key"u8), authMessage));
        return withoutProof + ",p=" + Convert.ToBase64String(proof);
    }

    [GeneratedRegex(@"\b[a-z2-9]{4}(-[a-z2-9]{4}){4}\b")]
    private static partial Regex AppPasswordPattern();
}
