using Microsoft.Extensions.Time.Testing;
using OtpNet;
using Rampart.Security.Credentials;
using Rampart.Security.Tests.Support;
using Rampart.Security.TwoFactor;

namespace Rampart.Security.Tests.TwoFactor;

public class TwoFactorServiceTests : IDisposable
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 10, TimeSpan.Zero));
    private readonly MemoryAccountSecrets secrets = new();
    private readonly TwoFactorService service;

    public TwoFactorServiceTests() => service = new TwoFactorService(secrets, TestSecurity.ServerSecret, TestSecurity.Hasher, time);

    public void Dispose() => service.Dispose();

    private async Task<(byte[] Seed, IReadOnlyList<string> Codes)> EnrollAsync(string account)
    {
        var enrollment = await service.BeginEnrollmentAsync(account, "Rampart", default);
        var seed = Base32Encoding.ToBytes(enrollment.Base32Seed);
        Assert.False(await service.IsEnabledAsync(account, default));
        var codes = await service.CompleteEnrollmentAsync(account, Code(seed, TimeSpan.Zero), default);
        Assert.NotNull(codes);
        Assert.True(await service.IsEnabledAsync(account, default));
        return (seed, codes);
    }

    private string Code(byte[] seed, TimeSpan offset) => new Totp(seed).ComputeTotp((time.GetUtcNow() + offset).UtcDateTime);

    [Fact]
    public async Task Enrollment_needs_a_right_code_and_the_seed_is_sealed_at_rest()
    {
        var enrollment = await service.BeginEnrollmentAsync("alice", "Rampart Mail", default);
        Assert.Contains("issuer=Rampart%20Mail", enrollment.Uri);
        Assert.Contains("secret=" + enrollment.Base32Seed, enrollment.Uri);
        Assert.Null(await service.CompleteEnrollmentAsync("alice", "000000", default));
        var stored = await secrets.GetAsync("alice", SecretKinds.TwoFactor, default);
        Assert.DoesNotContain(enrollment.Base32Seed, stored);
        var codes = await service.CompleteEnrollmentAsync("alice", Code(Base32Encoding.ToBytes(enrollment.Base32Seed), TimeSpan.Zero), default);
        Assert.Equal(10, codes!.Count);
        Assert.Equal(10, codes.Distinct().Count());
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await service.BeginEnrollmentAsync("alice", "Rampart", default));
    }

    [Fact]
    public async Task F03_a_code_is_accepted_once()
    {
        var (seed, _) = await EnrollAsync("bob");
        time.Advance(TimeSpan.FromSeconds(30));
        var code = Code(seed, TimeSpan.Zero);
        Assert.True(await service.VerifyCodeAsync("bob", code, default));
        Assert.False(await service.VerifyCodeAsync("bob", code, default));

        // The enrollment code's step is spent too: an older code never comes back.
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(await service.VerifyCodeAsync("bob", Code(seed, TimeSpan.FromSeconds(-60)), default));
    }

    [Fact]
    public async Task F03_one_step_of_drift_is_accepted_two_are_not()
    {
        var (seed, _) = await EnrollAsync("carl");
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(await service.VerifyCodeAsync("carl", Code(seed, TimeSpan.FromSeconds(-60)), default));
        Assert.False(await service.VerifyCodeAsync("carl", Code(seed, TimeSpan.FromSeconds(60)), default));
        Assert.True(await service.VerifyCodeAsync("carl", Code(seed, TimeSpan.FromSeconds(-30)), default));
        Assert.True(await service.VerifyCodeAsync("carl", Code(seed, TimeSpan.FromSeconds(30)), default));
    }

    [Fact]
    public async Task F03_quick_guesses_lock_the_codes_out_for_a_while()
    {
        var (seed, codes) = await EnrollAsync("dana");
        time.Advance(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 20; i++)
        {
            Assert.False(await service.VerifyCodeAsync("dana", (100000 + i).ToString(), default));
        }

        Assert.False(await service.VerifyCodeAsync("dana", Code(seed, TimeSpan.Zero), default));
        Assert.False(await service.UseRecoveryCodeAsync("dana", codes[0], default));
        time.Advance(TimeSpan.FromMinutes(16));
        Assert.True(await service.VerifyCodeAsync("dana", Code(seed, TimeSpan.Zero), default));
    }

    [Fact]
    public async Task Recovery_codes_work_once_each()
    {
        var (_, codes) = await EnrollAsync("erin");
        Assert.True(await service.UseRecoveryCodeAsync("erin", codes[3].ToUpperInvariant(), default));
        Assert.False(await service.UseRecoveryCodeAsync("erin", codes[3], default));
        Assert.Equal(9, await service.RecoveryCodesLeftAsync("erin", default));
        await service.DisableAsync("erin", default);
        Assert.False(await service.IsEnabledAsync("erin", default));
    }

    [Fact]
    public async Task A_seed_moved_to_another_account_does_not_open()
    {
        await EnrollAsync("fred");
        await secrets.SetAsync("gail", SecretKinds.TwoFactor, await secrets.GetAsync("fred", SecretKinds.TwoFactor, default), default);
        Assert.Null(await service.CurrentCodeAsync("gail", TimeSpan.Zero, default));
    }
}
