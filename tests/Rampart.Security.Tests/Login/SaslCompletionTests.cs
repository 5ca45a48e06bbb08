using System.Net;
using System.Text;
using Rampart.Security.Guard;
using Rampart.Security.Sasl;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Login;

/// <summary>The protocol's AUTHENTICATE path: BeginAsync, the SASL exchange, CompleteAsync, for every mechanism.</summary>
public class SaslCompletionTests : IDisposable
{
    private readonly LoginFixture fx = new();

    public void Dispose() => fx.Dispose();

    private async Task<(AuthDecision Decision, LoginResult Result)> ScramAsync(string user, string password, string ip)
    {
        var verifier = fx.Authenticator.ForConnection(IPAddress.Parse(ip), "imap");
        var decision = await verifier.BeginAsync("SCRAM-SHA-256", default);
        var context = TestSecurity.Context(fx) with { PasswordVerifier = verifier };
        Assert.True(SaslMechanismFactory.CreateDefault().TryCreateServer("SCRAM-SHA-256", context, out var server));
        var client = new ScramTestClient(user, password, ScramTestClient.RandomNonce());
        var first = await server.StartAsync(Encoding.UTF8.GetBytes(client.ClientFirst()));
        var step = first.IsFailure ? first : await server.StepAsync(Encoding.UTF8.GetBytes(client.ClientFinal(Encoding.UTF8.GetString(first.Challenge.Span))));
        return (decision, await verifier.CompleteAsync("SCRAM-SHA-256", step, default));
    }

    [Fact]
    public async Task B06_scram_failures_count_in_the_same_guard_as_plain()
    {
        await fx.AddAsync("alice");
        var (_, wrong) = await ScramAsync("alice", "Wrong-Password-1!", "192.0.2.30");
        Assert.Equal(LoginOutcome.Failed, wrong.Outcome);
        await fx.LoginAsync("alice", "Other-Wrong-2!", ip: "192.0.2.30", mechanism: "PLAIN");
        Assert.Equal(2, fx.Guard.FailuresFrom(IPAddress.Parse("192.0.2.30")));

        var (decision, right) = await ScramAsync("alice", LoginFixture.Password, "192.0.2.31");
        Assert.Equal(AuthDecision.Allowed, decision);
        Assert.True(right.Succeeded);
        Assert.Equal("alice", right.AccountName);
    }

    [Fact]
    public async Task F01_scram_with_the_main_password_is_refused_when_two_factors_are_on()
    {
        await fx.AddAsync("bob");
        await fx.TwoFactor.BeginEnrollmentAsync("bob", "Rampart", default);
        Assert.NotNull(await fx.TwoFactor.CompleteEnrollmentAsync("bob", (await fx.TwoFactor.CurrentCodeAsync("bob", TimeSpan.Zero, default))!, default));
        var (_, result) = await ScramAsync("bob", LoginFixture.Password, "192.0.2.32");
        Assert.Equal(LoginOutcome.Failed, result.Outcome);
        Assert.Equal(LoginFailureReason.SecondFactorRequired, result.Reason);
    }

    [Fact]
    public async Task Plain_through_begin_and_complete_returns_the_verifiers_result_and_waits_once()
    {
        await fx.AddAsync("carl");
        var (_, app) = await fx.AppPasswords.CreateAsync("carl", "phone", null, null, default);
        var verifier = fx.Authenticator.ForConnection(IPAddress.Parse("192.0.2.33"), "pop3");
        Assert.Equal(AuthDecision.Allowed, await verifier.BeginAsync("PLAIN", default));
        var context = TestSecurity.Context(fx) with { PasswordVerifier = verifier };
        Assert.True(SaslMechanismFactory.CreateDefault().TryCreateServer("PLAIN", context, out var server));
        var step = await server.StartAsync(Encoding.UTF8.GetBytes($"\0carl\0{app}"));
        var result = await verifier.CompleteAsync("PLAIN", step, default);
        Assert.True(result.Succeeded);
        Assert.Equal(Rampart.Security.Credentials.CredentialKind.AppPassword, result.Kind);
        Assert.Same(verifier.LastResult, result);

        // A banned client is told so at BeginAsync.
        fx.Guard.Ban(ClientNetworks.CounterKey(IPAddress.Parse("192.0.2.33")), null, "test");
        Assert.True((await verifier.BeginAsync("PLAIN", default)).IsBanned);
    }
}
