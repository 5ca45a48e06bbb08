using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Security;
using Rampart.Testing.OAuth;

namespace Rampart.Server.Tests.Federated;

/// <summary>SECURITY.md A07 and L01 over the real server: OAUTHBEARER and XOAUTH2 through MailKit and curl, tokens
/// from a local issuer whose JWKS is served over HTTP on 127.0.0.1; bad tokens get the JSON error challenge, then the
/// generic failure; every attempt is audited and no token (nor its base64) reaches the audit log.</summary>
public sealed class OAuthServeTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private readonly TestTokenIssuer _issuer = new();
    private readonly LocalIssuerEndpoint _endpoint;
    private readonly FederatedServer _server = new("oauth");

    public OAuthServeTests() => _endpoint = new LocalIssuerEndpoint(_issuer);

    private Dictionary<string, string> OAuthSettings() => _endpoint.ServerSettings();

    private async Task AddUsersAsync()
    {
        await _server.CliAsync(Password + "\n", "user", "add", "alice", "--address", "alice@example.test", "--password-stdin");
        await _server.CliAsync(Password + "\n", "user", "add", "bob", "--address", "bob@example.test", "--password-stdin");
    }

    private async Task<(bool Ok, string Log)> ImapAsync(SaslMechanism mechanism)
    {
        using var log = new MemoryStream();
        using var client = new ImapClient(new ProtocolLogger(log, leaveOpen: true)) { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", _server.Imaps, SecureSocketOptions.SslOnConnect);
        var ok = true;
        try
        {
            await client.AuthenticateAsync(mechanism);
            Assert.True(client.IsAuthenticated);
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        }
        catch (AuthenticationException)
        {
            ok = false;
        }

        await client.DisconnectAsync(true);
        return (ok, Encoding.ASCII.GetString(log.ToArray()));
    }

    [Fact]
    public async Task Imap_and_pop3_accept_good_tokens_refuse_bad_ones_with_the_error_challenge_and_never_log_a_token()
    {
        await AddUsersAsync();
        _server.Start(OAuthSettings());
        var good = _issuer.TokenFor("alice@example.test");

        // Good tokens: RS256 through OAUTHBEARER, ES256 and PS256 through XOAUTH2.
        var (ok, log) = await ImapAsync(new SaslMechanismOAuthBearer("alice@example.test", good));
        Assert.True(ok, log);
        Assert.Contains("AUTH=OAUTHBEARER", log, StringComparison.Ordinal);
        Assert.Contains("AUTH=XOAUTH2", log, StringComparison.Ordinal);
        Assert.True((await ImapAsync(new SaslMechanismOAuth2("alice@example.test", _issuer.TokenFor("alice@example.test", "ES256")))).Ok);
        Assert.True((await ImapAsync(new SaslMechanismOAuth2("alice", _issuer.TokenFor("alice@example.test", "PS256")))).Ok);

        // A07: each bad token gets the RFC 7628 error challenge, then the generic failure.
        var bad = new (string Name, string User, string Token)[]
        {
            ("expired", "alice@example.test", _issuer.Sign(TestTokenIssuer.Claims("alice@example.test", expiresIn: TimeSpan.FromMinutes(-10)))),
            ("future-nbf", "alice@example.test", _issuer.Sign(TestTokenIssuer.Claims("alice@example.test", notBefore: TimeSpan.FromMinutes(10)))),
            ("wrong-iss", "alice@example.test", _issuer.Sign(TestTokenIssuer.Claims("alice@example.test", issuer: "https://evil.test"))),
            ("wrong-aud", "alice@example.test", _issuer.Sign(TestTokenIssuer.Claims("alice@example.test", audience: "other-service"))),
            ("bad-signature", "alice@example.test", TestTokenIssuer.Tamper(good)),
            ("alg-none", "alice@example.test", _issuer.Sign(TestTokenIssuer.Claims("alice@example.test"), "none")),
            ("hs256-public", "alice@example.test", _issuer.Sign(TestTokenIssuer.Claims("alice@example.test"), "HS256-public")),
            ("nobody", "nobody@example.test", _issuer.TokenFor("nobody@example.test")),
            ("other-authzid", "bob@example.test", good),
        };
        foreach (var (name, user, token) in bad)
        {
            var (refused, transcript) = await ImapAsync(new SaslMechanismOAuthBearer(user, token));
            Assert.False(refused, name);
            Assert.Contains("+ " + Convert.ToBase64String("{\"status\":\"invalid_token\",\"scope\":\"mail\""u8.ToArray())[..40], transcript, StringComparison.Ordinal);
            Assert.Contains("NO [AUTHENTICATIONFAILED] Authentication failed", transcript, StringComparison.Ordinal);
        }

        var xoauthRefused = await ImapAsync(new SaslMechanismOAuth2("bob@example.test", good));
        Assert.False(xoauthRefused.Ok);
        Assert.Contains("NO [AUTHENTICATIONFAILED]", xoauthRefused.Log, StringComparison.Ordinal);

        // Rotation: a token signed with a key the JWKS does not have yet fails; once published, it works.
        var rotated = _issuer.Sign(TestTokenIssuer.Claims("alice@example.test"), "RS256-next");
        Assert.False((await ImapAsync(new SaslMechanismOAuthBearer("alice@example.test", rotated))).Ok);
        var fetches = _endpoint.JwksFetches;
        _issuer.Rotate();
        Assert.True((await ImapAsync(new SaslMechanismOAuthBearer("alice@example.test", rotated))).Ok);
        Assert.True(_endpoint.JwksFetches > fetches);

        // POP3 through the same mechanism.
        using (var pop3 = new Pop3Client { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await pop3.ConnectAsync("127.0.0.1", _server.Pop3s, SecureSocketOptions.SslOnConnect);
            await pop3.AuthenticateAsync(new SaslMechanismOAuthBearer("alice@example.test", good));
            Assert.True(pop3.IsAuthenticated);
            await pop3.DisconnectAsync(true);
        }

        // A refused token over POP3, by hand (MailKit's POP3 client gives up at the error challenge instead of sending
        // the dummy response): AUTH with the initial response, the error challenge, AQ==, then the generic -ERR.
        using (var tcp = new System.Net.Sockets.TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", _server.Pop3s);
            using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync("mail.test");
            using var reader = new StreamReader(tls, Encoding.ASCII);
            Assert.StartsWith("+OK", await reader.ReadLineAsync(), StringComparison.Ordinal);
            var message = Encoding.ASCII.GetBytes($"n,a=alice@example.test,\u0001auth=Bearer {TestTokenIssuer.Tamper(good)}\u0001\u0001");
            await tls.WriteAsync(Encoding.ASCII.GetBytes("AUTH OAUTHBEARER " + Convert.ToBase64String(message) + "\r\n"));
            var challenge = await reader.ReadLineAsync();
            Assert.StartsWith("+ eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2Vu", challenge, StringComparison.Ordinal);
            await tls.WriteAsync("AQ==\r\n"u8.ToArray());
            Assert.StartsWith("-ERR [AUTH]", await reader.ReadLineAsync(), StringComparison.Ordinal);
        }

        // curl, the command-line client: --oauth2-bearer.
        var curl = await CurlAsync(good);
        Assert.True(curl.ExitCode == 0, curl.Error);
        Assert.Contains("INBOX", curl.Output, StringComparison.Ordinal);

        await _server.StopAsync();
        var audit = _server.AuditText();
        foreach (var token in bad.Select(b => b.Token).Append(good).Append(rotated))
        {
            Assert.DoesNotContain(token, audit, StringComparison.Ordinal);
            Assert.DoesNotContain(token[..40], audit, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.ASCII.GetBytes(token))[..40], audit, StringComparison.Ordinal);
        }

        var lines = _server.AuthLines();
        Assert.Contains(("auth.success", "imap", "alice", "OAUTHBEARER", null), lines);
        Assert.Contains(("auth.success", "pop3", "alice", "OAUTHBEARER", null), lines);
        Assert.Equal(bad.Length + 2, lines.Count(l => l.Kind == "auth.failure" && l.Protocol == "imap"));
        Assert.Contains(lines, l => l.Kind == "auth.failure" && l.Protocol == "pop3" && l.Mechanism == "OAUTHBEARER");
    }

    [Fact]
    public async Task Introspection_accepts_an_active_token_and_refuses_an_inactive_one()
    {
        await AddUsersAsync();
        var settings = OAuthSettings();
        settings.Remove("Security__OAuth__JwksUrl");
        settings["Security__OAuth__IntrospectionUrl"] = _endpoint.IntrospectionUrl;
        settings["Security__OAuth__ClientId"] = LocalIssuerEndpoint.ClientId;
        settings["Security__OAuth__ClientSecret"] = LocalIssuerEndpoint.ClientSecret;
        _server.Start(settings);

        _endpoint.ActiveTokens["opaque-token-alice-1"] = new JsonObject
        {
            ["active"] = true,
            ["email"] = "alice@example.test",
            ["iss"] = TestTokenIssuer.Issuer,
            ["aud"] = TestTokenIssuer.Audience,
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
        };
        _endpoint.ActiveTokens["opaque-token-expired"] = new JsonObject
        {
            ["active"] = true,
            ["email"] = "alice@example.test",
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(),
        };
        Assert.True((await ImapAsync(new SaslMechanismOAuthBearer("alice@example.test", "opaque-token-alice-1"))).Ok);
        Assert.True((await ImapAsync(new SaslMechanismOAuth2("alice", "opaque-token-alice-1"))).Ok);
        Assert.False((await ImapAsync(new SaslMechanismOAuthBearer("alice@example.test", "opaque-token-unknown"))).Ok);
        Assert.False((await ImapAsync(new SaslMechanismOAuthBearer("alice@example.test", "opaque-token-expired"))).Ok);
        Assert.False((await ImapAsync(new SaslMechanismOAuthBearer("bob@example.test", "opaque-token-alice-1"))).Ok);
        await _server.StopAsync();
    }

    [Fact]
    public async Task Without_oauth_configured_the_bearer_mechanisms_are_not_offered()
    {
        await AddUsersAsync();
        _server.Start(new Dictionary<string, string>());
        var (ok, log) = await ImapAsync(new SaslMechanismPlain("alice", Password));
        Assert.True(ok, log);
        Assert.DoesNotContain("OAUTHBEARER", log, StringComparison.Ordinal);
        Assert.DoesNotContain("XOAUTH2", log, StringComparison.Ordinal);
        await _server.StopAsync();
    }

    private async Task<(int ExitCode, string Output, string Error)> CurlAsync(string token)
    {
        var start = new ProcessStartInfo("curl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-sS", "-k", "--max-time", "30", "--user", "alice@example.test", "--oauth2-bearer", token, $"imaps://127.0.0.1:{_server.Imaps}/" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    public void Dispose()
    {
        _server.Dispose();
        _endpoint.Dispose();
        _issuer.Dispose();
    }
}
