using Rampart.Security.OAuth;
using Rampart.Testing.OAuth;

namespace Rampart.Security.Tests.OAuth;

/// <summary>SECURITY.md A07: JWT access tokens (RFC 9068, RFC 8725) from a local issuer, keys from a JWKS file.</summary>
public sealed class JwtAccessTokenValidatorTests : IDisposable
{
    private readonly TestTokenIssuer _issuer = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("rampart-jwks-").FullName;
    private readonly string _jwks;

    public JwtAccessTokenValidatorTests()
    {
        _jwks = Path.Combine(_directory, "jwks.json");
        File.WriteAllText(_jwks, _issuer.Jwks());
    }

    private OAuthOptions Options(Action<OAuthOptions>? change = null)
    {
        var options = new OAuthOptions
        {
            Issuer = TestTokenIssuer.Issuer,
            Audience = TestTokenIssuer.Audience,
            JwksFile = _jwks,
            ClockSkew = TimeSpan.FromSeconds(30),
            JwksMinRefreshInterval = TimeSpan.Zero,
        };
        change?.Invoke(options);
        return options;
    }

    private async Task<TokenValidation> ValidateAsync(string token, Action<OAuthOptions>? change = null)
    {
        var options = Options(change);
        using var keys = new JwksKeySource(options);
        return await new JwtAccessTokenValidator(options, keys).ValidateAsync(token, CancellationToken.None);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS256")]
    [InlineData("ES256")]
    public async Task A_good_token_names_the_account_claim(string alg)
    {
        var result = await ValidateAsync(_issuer.TokenFor("alice@example.test", alg));
        Assert.True(result.IsValid, result.Reason);
        Assert.Equal("alice@example.test", result.AccountName);
    }

    [Fact]
    public async Task The_configured_claim_is_read()
    {
        var result = await ValidateAsync(_issuer.TokenFor("alice@example.test"), o => o.AccountClaim = "sub");
        Assert.Equal("id-alice@example.test", result.AccountName);
    }

    public static TheoryData<string, string> BadTokens() => new()
    {
        { "expired", "expired" },
        { "future-nbf", "not-yet-valid" },
        { "wrong-iss", "wrong-issuer" },
        { "wrong-aud", "wrong-audience" },
        { "bad-signature", "bad-signature" },
        { "alg-none", "" },
        { "hs256-public-key", "" },
        { "typ-jwt", "wrong-type" },
        { "no-exp", "" },
        { "garbage", "not-a-jwt" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Bad_tokens_are_refused(string kind, string reason)
    {
        var token = kind switch
        {
            "expired" => _issuer.Sign(TestTokenIssuer.Claims("alice@example.test", expiresIn: TimeSpan.FromMinutes(-5))),
            "future-nbf" => _issuer.Sign(TestTokenIssuer.Claims("alice@example.test", notBefore: TimeSpan.FromMinutes(5))),
            "wrong-iss" => _issuer.Sign(TestTokenIssuer.Claims("alice@example.test", issuer: "https://evil.test")),
            "wrong-aud" => _issuer.Sign(TestTokenIssuer.Claims("alice@example.test", audience: "another-service")),
            "bad-signature" => TestTokenIssuer.Tamper(_issuer.TokenFor("alice@example.test")),
            "alg-none" => _issuer.Sign(TestTokenIssuer.Claims("alice@example.test"), "none"),
            "hs256-public-key" => _issuer.Sign(TestTokenIssuer.Claims("alice@example.test"), "HS256-public"),
            "typ-jwt" => _issuer.Sign(TestTokenIssuer.Claims("alice@example.test"), typ: "JWT"),
            "no-exp" => _issuer.Sign(WithoutExp()),
            _ => "not.a.token!",
        };
        var result = await ValidateAsync(token);
        Assert.False(result.IsValid);
        Assert.Null(result.AccountName);
        if (reason.Length > 0)
        {
            Assert.Equal(reason, result.Reason);
        }
    }

    [Fact]
    public async Task Within_the_clock_skew_an_expired_token_still_passes_but_not_beyond()
    {
        var justExpired = _issuer.Sign(TestTokenIssuer.Claims("alice@example.test", expiresIn: TimeSpan.FromSeconds(-10)));
        Assert.True((await ValidateAsync(justExpired)).IsValid);
        Assert.False((await ValidateAsync(justExpired, o => o.ClockSkew = TimeSpan.Zero)).IsValid);
    }

    [Fact]
    public async Task Plain_jwt_type_is_accepted_only_when_configured()
    {
        var token = _issuer.Sign(TestTokenIssuer.Claims("alice@example.test"), typ: "JWT");
        Assert.True((await ValidateAsync(token, o => o.AcceptPlainJwt = true)).IsValid);
    }

    [Fact]
    public async Task An_algorithm_outside_the_allow_list_is_refused()
    {
        var token = _issuer.TokenFor("alice@example.test", "ES256");
        var result = await ValidateAsync(token, o => o.Algorithms = ["RS256"]);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Hmac_and_none_in_the_allow_list_are_ignored()
    {
        var options = Options(o => o.Algorithms = ["HS256", "none"]);
        using var keys = new JwksKeySource(options);
        Assert.Throws<ArgumentException>(() => new JwtAccessTokenValidator(options, keys));
    }

    [Fact]
    public void Issuer_and_audience_are_required()
    {
        var options = Options(o => o.Audience = null);
        using var keys = new JwksKeySource(options);
        Assert.Throws<ArgumentException>(() => new JwtAccessTokenValidator(options, keys));
    }

    [Fact]
    public async Task An_unknown_key_id_rereads_the_jwks_so_a_rotated_key_is_accepted()
    {
        var options = Options();
        using var keys = new JwksKeySource(options);
        var validator = new JwtAccessTokenValidator(options, keys);
        var token = _issuer.Sign(TestTokenIssuer.Claims("alice@example.test"), "RS256-next");

        var before = await validator.ValidateAsync(token, CancellationToken.None);
        Assert.False(before.IsValid);
        Assert.Equal("unknown-key", before.Reason);

        _issuer.Rotate();
        await File.WriteAllTextAsync(_jwks, _issuer.Jwks());
        var after = await validator.ValidateAsync(token, CancellationToken.None);
        Assert.True(after.IsValid, after.Reason);
    }

    [Fact]
    public async Task Unknown_key_ids_do_not_reread_the_jwks_more_often_than_the_minimum_interval()
    {
        var options = Options(o => o.JwksMinRefreshInterval = TimeSpan.FromHours(1));
        using var keys = new JwksKeySource(options);
        var validator = new JwtAccessTokenValidator(options, keys);
        Assert.True((await validator.ValidateAsync(_issuer.TokenFor("alice@example.test"), CancellationToken.None)).IsValid);

        _issuer.Rotate();
        await File.WriteAllTextAsync(_jwks, _issuer.Jwks());
        var token = _issuer.Sign(TestTokenIssuer.Claims("alice@example.test"), "RS256-next");
        Assert.False((await validator.ValidateAsync(token, CancellationToken.None)).IsValid);
    }

    [Fact]
    public async Task An_unverified_email_is_refused()
    {
        var claims = TestTokenIssuer.Claims("alice@example.test");
        claims["email_verified"] = false;
        Assert.False((await ValidateAsync(_issuer.Sign(claims))).IsValid);
    }

    private static System.Text.Json.Nodes.JsonObject WithoutExp()
    {
        var claims = TestTokenIssuer.Claims("alice@example.test");
        claims.Remove("exp");
        return claims;
    }

    public void Dispose()
    {
        _issuer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
