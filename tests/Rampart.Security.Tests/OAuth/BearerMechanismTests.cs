using System.Text;
using System.Text.Json;
using Rampart.Security.OAuth;
using Rampart.Security.Sasl;
using Rampart.Security.Sasl.OAuth;
using Rampart.Security.Tests.Support;
using Rampart.Testing.OAuth;

namespace Rampart.Security.Tests.OAuth;

/// <summary>OAUTHBEARER (RFC 7628) and XOAUTH2 over real signed tokens; SECURITY.md A07.</summary>
public sealed class BearerMechanismTests : IDisposable
{
    private readonly TestTokenIssuer _issuer = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("rampart-bearer-").FullName;
    private readonly JwksKeySource _keys;
    private readonly BearerTokenAuthority _authority;
    private readonly InMemoryCredentialSource _source = new InMemoryCredentialSource()
        .Add("alice@example.test", TestSecurity.Credential("wonderland-Secret1"))
        .Add("bob@example.test", TestSecurity.Credential("builder-Secret1"));

    public BearerMechanismTests()
    {
        var jwks = Path.Combine(_directory, "jwks.json");
        File.WriteAllText(jwks, _issuer.Jwks());
        var options = new OAuthOptions
        {
            Issuer = TestTokenIssuer.Issuer,
            Audience = TestTokenIssuer.Audience,
            JwksFile = jwks,
            Scope = "mail",
            OpenIdConfiguration = "https://issuer.rampart.test/.well-known/openid-configuration",
        };
        _keys = new JwksKeySource(options);
        _authority = new BearerTokenAuthority(new JwtAccessTokenValidator(options, _keys), options);
    }

    private static byte[] OAuthBearer(string token, string? authzid = null) =>
        Encoding.UTF8.GetBytes($"n,{(authzid is null ? "" : "a=" + authzid)},\u0001host=mail.test\u0001port=993\u0001auth=Bearer {token}\u0001\u0001");

    private static byte[] XOAuth2(string user, string token) => Encoding.UTF8.GetBytes($"user={user}\u0001auth=Bearer {token}\u0001\u0001");

    private SaslServer Server(string mechanism) => mechanism == "OAUTHBEARER"
        ? new OAuthBearerMechanism(_authority).CreateServer(TestSecurity.Context(_source) with { IsTls = true })
        : new XOAuth2Mechanism(_authority).CreateServer(TestSecurity.Context(_source) with { IsTls = true });

    [Theory]
    [InlineData(null)]
    [InlineData("alice@example.test")]
    [InlineData("ALICE@example.test")]
    public async Task A_good_token_logs_in_the_mapped_account(string? authzid)
    {
        var step = await Server("OAUTHBEARER").StartAsync(OAuthBearer(_issuer.TokenFor("alice@example.test"), authzid));
        Assert.True(step.IsSuccess);
        Assert.Equal(new SaslIdentity("alice@example.test", "OAUTHBEARER"), step.Identity);
    }

    [Fact]
    public async Task Xoauth2_with_a_good_token_logs_in()
    {
        var step = await Server("XOAUTH2").StartAsync(XOAuth2("alice@example.test", _issuer.TokenFor("alice@example.test", "ES256")));
        Assert.True(step.IsSuccess);
        Assert.Equal("alice@example.test", step.Identity!.AccountName);
    }

    public static TheoryData<string> Failures() => ["expired", "other-authzid", "nobody", "tampered"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_refused_token_gets_the_json_error_challenge_then_fails(string kind)
    {
        var (token, authzid) = kind switch
        {
            "expired" => (_issuer.Sign(TestTokenIssuer.Claims("alice@example.test", expiresIn: TimeSpan.FromMinutes(-10))), (string?)null),
            "other-authzid" => (_issuer.TokenFor("alice@example.test"), "bob@example.test"),
            "nobody" => (_issuer.TokenFor("nobody@example.test"), null),
            _ => (TestTokenIssuer.Tamper(_issuer.TokenFor("alice@example.test")), null),
        };
        var server = Server("OAUTHBEARER");
        var first = await server.StartAsync(OAuthBearer(token, authzid));
        Assert.Equal(SaslStepKind.Continue, first.Kind);
        using var error = JsonDocument.Parse(first.Challenge);
        Assert.Equal("invalid_token", error.RootElement.GetProperty("status").GetString());
        Assert.Equal("mail", error.RootElement.GetProperty("scope").GetString());
        Assert.Equal("https://issuer.rampart.test/.well-known/openid-configuration", error.RootElement.GetProperty("openid-configuration").GetString());

        var last = await server.StepAsync(new byte[] { 0x01 });
        Assert.True(last.IsFailure);
        Assert.NotEqual(SaslFailureReason.Malformed, last.FailureReason);
    }

    [Fact]
    public async Task Xoauth2_for_another_user_than_the_token_gets_its_error_then_fails()
    {
        var server = Server("XOAUTH2");
        var first = await server.StartAsync(XOAuth2("bob@example.test", _issuer.TokenFor("alice@example.test")));
        Assert.Equal(SaslStepKind.Continue, first.Kind);
        using var error = JsonDocument.Parse(first.Challenge);
        Assert.Equal("401", error.RootElement.GetProperty("status").GetString());
        var last = await server.StepAsync(ReadOnlyMemory<byte>.Empty);
        Assert.Equal(SaslFailureReason.AuthzidNotAllowed, last.FailureReason);
    }

    [Theory]
    [InlineData("n,,\u0001auth=Bearer abc\u0001")]
    [InlineData("n,,auth=Bearer abc\u0001\u0001")]
    [InlineData("p=tls-unique,,\u0001auth=Bearer abc\u0001\u0001")]
    [InlineData("n,,\u0001auth=Basic abc\u0001\u0001")]
    [InlineData("n,,\u0001auth=Bearer a b\u0001\u0001")]
    [InlineData("n,,\u0001host=x\u0001\u0001")]
    [InlineData("n,,\u0001auth=Bearer abc\u0001auth=Bearer abc\u0001\u0001")]
    [InlineData("n,a=al=ice,\u0001auth=Bearer abc\u0001\u0001")]
    [InlineData("\u0001")]
    [InlineData("")]
    public async Task Malformed_oauthbearer_messages_fail_as_malformed(string message)
    {
        var step = await Server("OAUTHBEARER").StartAsync(Encoding.UTF8.GetBytes(message));
        Assert.True(step.IsFailure);
        Assert.Equal(SaslFailureReason.Malformed, step.FailureReason);
    }

    [Theory]
    [InlineData("user=\u0001\u0001")]
    [InlineData("user=a\u0001auth=Bearer x\u0001")]
    [InlineData("user=a\u0001\u0001")]
    [InlineData("auth=Bearer x\u0001\u0001")]
    public async Task Malformed_xoauth2_messages_fail_as_malformed(string message)
    {
        var step = await Server("XOAUTH2").StartAsync(Encoding.UTF8.GetBytes(message));
        Assert.Equal(SaslFailureReason.Malformed, step.FailureReason);
    }

    [Fact]
    public void Bearer_mechanisms_are_offered_only_inside_tls()
    {
        var context = TestSecurity.Context(_source);
        Assert.False(new OAuthBearerMechanism(_authority).IsAvailable(context with { IsTls = false }));
        Assert.False(new XOAuth2Mechanism(_authority).IsAvailable(context with { IsTls = false }));
        Assert.True(new OAuthBearerMechanism(_authority).IsAvailable(context with { IsTls = true }));
    }

    public void Dispose()
    {
        _keys.Dispose();
        _issuer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
