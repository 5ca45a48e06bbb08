using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Rampart.Security.Credentials;
using Rampart.Security.Passwords;
using Rampart.Store.Sqlite;
using Rampart.Testing.OAuth;

namespace Rampart.Server.Tests.Federated;

/// <summary>SECURITY.md P03, the OAuth half: an account whose password has expired is refused with the password
/// (<c>NO [EXPIRED]</c>), while a bearer token from the identity provider still logs it in: the token does not
/// carry the password, so the password's age does not bear on it.</summary>
public sealed class OAuthExpiredPasswordTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private readonly TestTokenIssuer _issuer = new();
    private readonly LocalIssuerEndpoint _endpoint;
    private readonly FederatedServer _server = new("oauth-p03");

    public OAuthExpiredPasswordTests() => _endpoint = new LocalIssuerEndpoint(_issuer);

    [Fact]
    public async Task P03_an_expired_password_is_refused_while_a_bearer_token_logs_the_account_in()
    {
        await _server.CliAsync(Password + "\n", "user", "add", "erin", "--address", "erin@example.test", "--password-stdin");

        // Age the password past the default 90 days, as if set long ago (the server is not running yet).
        await using (var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = _server.Data }))
        {
            var account = await store.FindAccountAsync("erin");
            var old = PasswordCredential.Create(Password, new PasswordHasher(), DateTimeOffset.UtcNow.AddDays(-100));
            await store.SetSecretAsync(account!.Id, SecretKinds.Password, old.Serialize());
        }

        _server.Start(_endpoint.ServerSettings());

        using (var log = new MemoryStream())
        using (var client = new ImapClient(new ProtocolLogger(log, leaveOpen: true)) { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await client.ConnectAsync("127.0.0.1", _server.Imaps, SecureSocketOptions.SslOnConnect);
            await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("erin", Password));
            Assert.Contains("NO [EXPIRED]", System.Text.Encoding.ASCII.GetString(log.ToArray()), StringComparison.Ordinal);
        }

        using (var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await client.ConnectAsync("127.0.0.1", _server.Imaps, SecureSocketOptions.SslOnConnect);
            await client.AuthenticateAsync(new SaslMechanismOAuthBearer("erin@example.test", _issuer.TokenFor("erin@example.test")));
            Assert.True(client.IsAuthenticated);
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            await client.DisconnectAsync(true);
        }
    }

    public void Dispose()
    {
        _server.Dispose();
        _endpoint.Dispose();
        _issuer.Dispose();
    }
}
