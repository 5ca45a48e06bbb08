using Rampart.Security.Credentials;
using Rampart.Security.Passwords;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Credentials;

public class PasswordAuthenticatorTests
{
    private readonly InMemoryCredentialSource _source = new InMemoryCredentialSource()
        .Add("alice@example.org", TestSecurity.Credential("alice's secret"))
        .Add("bob@example.org", TestSecurity.Credential("bob's secret"), enabled: false)
        .Add("carol@example.org", password: null);

    private PasswordAuthenticator Authenticator => new(_source, TestSecurity.Hasher);

    [Fact]
    public async Task The_right_password_logs_in_under_the_canonical_name()
    {
        var check = await Authenticator.CheckAsync("ALICE@example.org", "alice's secret", default);
        Assert.True(check.Succeeded);
        Assert.Equal("alice@example.org", check.AccountName);
        Assert.False(check.NeedsRehash);
    }

    [Theory]
    [InlineData("alice@example.org", "wrong", PasswordCheckOutcome.BadPassword)]
    [InlineData("nobody@example.org", "alice's secret", PasswordCheckOutcome.UnknownUser)]
    [InlineData("bob@example.org", "bob's secret", PasswordCheckOutcome.Disabled)]
    [InlineData("bob@example.org", "wrong", PasswordCheckOutcome.BadPassword)]
    [InlineData("carol@example.org", "anything", PasswordCheckOutcome.NoPassword)]
    public async Task Failures_carry_their_reason(string user, string password, PasswordCheckOutcome expected)
    {
        var check = await Authenticator.CheckAsync(user, password, default);
        Assert.False(check.Succeeded);
        Assert.Equal(expected, check.Outcome);
    }

    [Fact]
    public async Task A_hash_weaker_than_the_current_cost_is_flagged_for_rehash()
    {
        var stronger = new PasswordHasher(new Argon2Cost(512, 1));
        var check = await new PasswordAuthenticator(_source, stronger).CheckAsync("alice@example.org", "alice's secret", default);
        Assert.True(check.Succeeded);
        Assert.True(check.NeedsRehash);
    }
}
