#pragma warning disable CA5351 // RFC 2195 and RFC 1939 use MD5; these tests compute what a client sends.
using System.Security.Cryptography;
using System.Text;
using Rampart.Security.Credentials;
using Rampart.Security.Sasl;
using Rampart.Security.Sasl.Mechanisms.CramMd5;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Sasl;

public class CramMd5Tests
{
    private const string Password = "Legacy-Client-Pass-1";
    private readonly MemoryAccountSecrets secrets = new();
    private readonly InMemoryCredentialSource accounts = new InMemoryCredentialSource()
        .Add("alice", TestSecurity.Credential(Password))
        .Add("bob", TestSecurity.Credential(Password));

    private LegacySecrets Legacy => new(secrets, TestSecurity.ServerSecret);

    [Fact]
    public void A10_not_offered_by_default_nor_without_legacy_secrets()
    {
        var context = TestSecurity.Context(accounts);
        Assert.DoesNotContain("CRAM-MD5", SaslMechanismFactory.CreateDefault().GetOfferedNames(context));
        Assert.DoesNotContain("DIGEST-MD5", SaslMechanismFactory.CreateDefault(includeLogin: true).GetOfferedNames(context));
        Assert.DoesNotContain("NTLM", SaslMechanismFactory.CreateDefault(includeLogin: true).GetOfferedNames(context));

        var legacyFactory = new SaslMechanismFactory([CramMd5Mechanism.Instance]);
        Assert.Empty(legacyFactory.Mechanisms);

        var optedIn = new SaslMechanismFactory([CramMd5Mechanism.Instance], allowPasswordEquivalent: true);
        Assert.Empty(optedIn.GetOfferedNames(context));
        Assert.Equal(["CRAM-MD5"], optedIn.GetOfferedNames(context with { LegacySecrets = Legacy }));
        Assert.Empty(optedIn.GetOfferedNames(context with { LegacySecrets = Legacy, IsTls = false }));
    }

    [Fact]
    public async Task Only_accounts_an_admin_opted_in_can_log_in()
    {
        await Legacy.EnableAsync("alice", Password, default);
        Assert.DoesNotContain(Password, await secrets.GetAsync("alice", SecretKinds.LegacySecret, default));

        Assert.True((await RunAsync("alice", Password)).IsSuccess);
        Assert.Equal(SaslFailureReason.BadCredentials, (await RunAsync("alice", "wrong")).FailureReason);
        Assert.Equal(SaslFailureReason.NoCredential, (await RunAsync("bob", Password)).FailureReason);
        Assert.Equal(SaslFailureReason.UnknownUser, (await RunAsync("carol", Password)).FailureReason);

        await Legacy.DisableAsync("alice", default);
        Assert.Equal(SaslFailureReason.NoCredential, (await RunAsync("alice", Password)).FailureReason);
    }

    [Fact]
    public async Task Malformed_responses_and_initial_responses_are_refused()
    {
        var context = TestSecurity.Context(accounts) with { LegacySecrets = Legacy };
        var server = CramMd5Mechanism.Instance.CreateServer(context);
        Assert.Equal(SaslFailureReason.Malformed, (await server.StartAsync(Encoding.ASCII.GetBytes("alice 0123"))).FailureReason);
        server = CramMd5Mechanism.Instance.CreateServer(context);
        await server.StartAsync(null);
        Assert.Equal(SaslFailureReason.Malformed, (await server.StepAsync(Encoding.ASCII.GetBytes("alice zz"))).FailureReason);
    }

    [Fact]
    public async Task A09_apop_timestamps_are_unique_and_the_digest_checks()
    {
        var stamps = Enumerable.Range(0, 1000).Select(_ => ApopVerifier.CreateTimestamp("mail.example")).ToList();
        Assert.Equal(1000, stamps.Distinct().Count());
        Assert.All(stamps, s => Assert.Matches("^<[0-9a-f]{16}\\.[0-9]+@mail\\.example>$", s));

        var verifier = new ApopVerifier(accounts, Legacy);
        var stamp = stamps[0];
        string Digest(string secret) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(stamp + secret)));

        Assert.Equal(PasswordCheckOutcome.NoPassword, (await verifier.VerifyAsync("alice", Digest(Password), stamp, default)).Outcome);
        await Legacy.EnableAsync("alice", Password, default);
        Assert.Equal(PasswordCheckOutcome.Success, (await verifier.VerifyAsync("alice", Digest(Password).ToUpperInvariant(), stamp, default)).Outcome);
        Assert.Equal(PasswordCheckOutcome.BadPassword, (await verifier.VerifyAsync("alice", Digest(Password), stamps[1], default)).Outcome);
        Assert.Equal(PasswordCheckOutcome.UnknownUser, (await verifier.VerifyAsync("nobody", Digest(Password), stamp, default)).Outcome);
    }

    private async Task<SaslStep> RunAsync(string user, string password)
    {
        var context = TestSecurity.Context(accounts) with { LegacySecrets = Legacy };
        var server = CramMd5Mechanism.Instance.CreateServer(context);
        var challenge = await server.StartAsync(null);
        var digest = Convert.ToHexStringLower(HMACMD5.HashData(Encoding.UTF8.GetBytes(password), challenge.Challenge.Span));
        return await server.StepAsync(Encoding.ASCII.GetBytes($"{user} {digest}"));
    }
}
