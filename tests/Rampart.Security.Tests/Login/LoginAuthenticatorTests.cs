using System.Net;
using Rampart.Security.Access;
using Rampart.Security.AppPasswords;
using Rampart.Security.Credentials;
using Rampart.Security.Guard;
using Rampart.Security.Sasl;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Login;

public class LoginAuthenticatorTests : IDisposable
{
    private readonly LoginFixture fx = new();

    public void Dispose() => fx.Dispose();

    [Fact]
    public async Task Right_password_logs_in_and_marks_the_network_known()
    {
        await fx.AddAsync("alice");
        var result = await fx.LoginAsync("ALICE", LoginFixture.Password);
        Assert.Equal(LoginOutcome.Success, result.Outcome);
        Assert.Equal("alice", result.AccountName);
        Assert.Equal(CredentialKind.Password, result.Kind);
        Assert.True(fx.Guard.IsKnownNetwork("alice", IPAddress.Parse("192.0.2.200")));
    }

    [Fact]
    public async Task E01_unknown_user_wrong_password_disabled_throttled_and_denied_look_the_same()
    {
        await fx.AddAsync("alice");
        await fx.AddAsync("dora", enabled: false);
        await fx.AddAsync("tess");
        await fx.AddAsync("rita");
        var rules = new AccountAccessRules(fx.Secrets);
        var set = new AccessRuleSet();
        set.Add("10.0.0.0/8", AccessAction.Allow, null);
        await rules.SaveAsync("rita", set, default);
        for (var i = 0; i < 12; i++)
        {
            await fx.LoginAsync("tess", "wrong-" + i, ip: $"198.51.100.{i + 1}");
        }

        var results = new[]
        {
            await fx.LoginAsync("nobody", LoginFixture.Password, ip: "203.0.113.1"),
            await fx.LoginAsync("alice", "Wrong-Password-1!", ip: "203.0.113.2"),
            await fx.LoginAsync("dora", LoginFixture.Password, ip: "203.0.113.3"),
            await fx.LoginAsync("tess", LoginFixture.Password, ip: "203.0.113.4"),
            await fx.LoginAsync("rita", LoginFixture.Password, ip: "203.0.113.5"),
        };

        Assert.All(results, r =>
        {
            Assert.Equal(LoginOutcome.Failed, r.Outcome);
            Assert.Null(r.AccountName);
            Assert.Null(r.AppPassword);
            Assert.Equal(CancellationToken.None, r.Revoked);
        });
        Assert.Equal(
            [LoginFailureReason.UnknownUser, LoginFailureReason.BadPassword, LoginFailureReason.Disabled, LoginFailureReason.AccountThrottled, LoginFailureReason.AccessDenied],
            results.Select(r => r.Reason));

        // Through SASL PLAIN the protocol sees one failure kind for all but Malformed.
        foreach (var (user, ip) in new[] { ("nobody", "203.0.113.6"), ("dora", "203.0.113.7"), ("tess", "203.0.113.8"), ("rita", "203.0.113.9") })
        {
            var step = await PlainAsync(user, LoginFixture.Password, ip);
            Assert.True(step.IsFailure);
            Assert.NotEqual(SaslFailureReason.Malformed, step.FailureReason);
        }
    }

    [Fact]
    public async Task E02_every_failure_path_costs_the_same_number_of_hashes()
    {
        await fx.AddAsync("alice");
        await fx.AddAsync("dora", enabled: false);
        await fx.AppPasswords.CreateAsync("alice", "phone", null, null, default);
        using var queue = new LoginCache.HashingQueue(1);
        var authenticator = new LoginAuthenticator(fx, TestSecurity.Hasher, fx.Guard)
        {
            Hashing = queue,
            AppPasswords = new AppPasswordService(fx.Secrets, TestSecurity.Hasher) { Hashing = queue },
            ApplyDelays = false,
        };

        async Task<long> Runs(string user, string password, string ip)
        {
            var before = queue.Completed;
            await authenticator.CheckAsync(new LoginRequest(IPAddress.Parse(ip), user, password, "imap", "PLAIN"), default);
            return queue.Completed - before;
        }

        var appId = (await fx.AppPasswords.ListAsync("alice", default))[0].Id;
        Assert.Equal(1, await Runs("nobody", "Anything-At-All-1", "192.0.2.41"));
        Assert.Equal(1, await Runs("alice", "Anything-At-All-1", "192.0.2.42"));
        Assert.Equal(1, await Runs("dora", LoginFixture.Password, "192.0.2.43"));
        Assert.Equal(2, await Runs("nobody", "abcd-efgh-jkmn-pqrs-tuvw", "192.0.2.44"));
        Assert.Equal(2, await Runs("alice", "abcd-efgh-jkmn-pqrs-tuvw", "192.0.2.45"));
        Assert.Equal(2, await Runs("alice", appId + "-efgh-jkmn-pqrs-tuvw", "192.0.2.46"));
        Assert.Equal(2, await Runs("nobody", appId + "-efgh-jkmn-pqrs-tuvw", "192.0.2.47"));
    }

    [Fact]
    public async Task B04_200_ips_throttle_the_account_yet_the_owner_gets_in()
    {
        await fx.AddAsync("carol");
        Assert.True((await fx.LoginAsync("carol", LoginFixture.Password, ip: "203.0.113.50")).Succeeded);
        var (_, appPassword) = await fx.AppPasswords.CreateAsync("carol", "phone", null, null, default);

        for (var i = 0; i < 200; i++)
        {
            var r = await fx.LoginAsync("carol", "guess-" + i, ip: $"10.1.{i / 250}.{i % 250 + 1}");
            Assert.Equal(LoginFailureReason.BadPassword, r.Reason);
        }

        var stranger = await fx.LoginAsync("carol", LoginFixture.Password, ip: "198.51.100.99");
        Assert.Equal(LoginFailureReason.AccountThrottled, stranger.Reason);

        Assert.True((await fx.LoginAsync("carol", LoginFixture.Password, ip: "203.0.113.51")).Succeeded);
        var app = await fx.LoginAsync("carol", appPassword, ip: "198.51.100.100");
        Assert.True(app.Succeeded, app.Reason.ToString());
        Assert.Equal(CredentialKind.AppPassword, app.Kind);
    }

    [Fact]
    public async Task B04_failures_by_alias_and_by_login_name_count_against_one_account()
    {
        await fx.AddAsync("dora");
        fx.Aliases["dora@example.org"] = "dora";
        fx.Aliases["d.explorer@example.org"] = "dora";
        Assert.True((await fx.LoginAsync("dora@example.org", LoginFixture.Password, ip: "203.0.113.60")).Succeeded);

        // Ten failures, spread over the login name and two aliases, from ten addresses: one account, one counter.
        string[] names = ["dora", "dora@example.org", "d.explorer@example.org"];
        for (var i = 0; i < fx.Guard.Options.AccountThrottleThreshold; i++)
        {
            var r = await fx.LoginAsync(names[i % names.Length], "guess-" + i, ip: $"10.2.0.{i + 1}");
            Assert.Equal(LoginFailureReason.BadPassword, r.Reason);
        }

        foreach (var name in names)
        {
            var stranger = await fx.LoginAsync(name, LoginFixture.Password, ip: "198.51.100.77");
            Assert.Equal(LoginFailureReason.AccountThrottled, stranger.Reason);
        }

        // The owner's known network passes whichever name it logs in with.
        foreach (var name in names)
        {
            Assert.True((await fx.LoginAsync(name, LoginFixture.Password, ip: "203.0.113.61")).Succeeded, name);
        }
    }

    [Fact]
    public async Task B04_known_networks_survive_a_restart()
    {
        await fx.AddAsync("nina");
        Assert.True((await fx.LoginAsync("nina", LoginFixture.Password, ip: "203.0.113.70")).Succeeded);
        Assert.Contains("203.0.113.0/24", await fx.Secrets.GetAsync("nina", SecretKinds.KnownNetworks, default));

        // A new process: fresh guard, same secrets; the attack starts before the owner logs in again.
        var guard = new AuthGuard(new AuthGuardOptions(), fx.Time);
        var restarted = new LoginAuthenticator(fx, TestSecurity.Hasher, guard) { KnownNetworks = new KnownNetworkStore(fx.Secrets), ApplyDelays = false };
        for (var i = 0; i < 20; i++)
        {
            await restarted.CheckAsync(new LoginRequest(IPAddress.Parse($"10.3.0.{i + 1}"), "nina", "guess-" + i, "imap", "PLAIN"), default);
        }

        var stranger = await restarted.CheckAsync(new LoginRequest(IPAddress.Parse("198.51.100.3"), "nina", LoginFixture.Password, "imap", "PLAIN"), default);
        Assert.Equal(LoginFailureReason.AccountThrottled, stranger.Reason);
        var owner = await restarted.CheckAsync(new LoginRequest(IPAddress.Parse("203.0.113.71"), "nina", LoginFixture.Password, "imap", "PLAIN"), default);
        Assert.True(owner.Succeeded, owner.Reason.ToString());
    }

    [Fact]
    public async Task B05_a_banned_client_is_refused_before_any_check()
    {
        await fx.AddAsync("alice");
        for (var i = 0; i < 20; i++)
        {
            await fx.LoginAsync("user" + i, "Spray-Password-1", ip: "192.0.2.66");
        }

        var result = await fx.LoginAsync("alice", LoginFixture.Password, ip: "192.0.2.66");
        Assert.Equal(LoginOutcome.Banned, result.Outcome);
    }

    [Fact]
    public async Task B02_the_check_waits_the_guards_delay()
    {
        await fx.AddAsync("alice");
        var authenticator = new LoginAuthenticator(fx, TestSecurity.Hasher, fx.Guard);
        var client = IPAddress.Parse("192.0.2.77");
        await authenticator.CheckAsync(new LoginRequest(client, "alice", "Wrong-1-Password", "imap", "PLAIN"), default);
        var pending = authenticator.CheckAsync(new LoginRequest(client, "alice", LoginFixture.Password, "imap", "PLAIN"), default).AsTask();
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        fx.Time.Advance(TimeSpan.FromSeconds(2));
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(result.Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(2), result.Delay);
    }

    [Fact]
    public async Task F01_with_two_factors_the_main_password_is_refused_and_app_passwords_work()
    {
        await fx.AddAsync("frank");
        var enrollment = await fx.TwoFactor.BeginEnrollmentAsync("frank", "Rampart", default);
        Assert.StartsWith("otpauth://totp/Rampart:frank?secret=", enrollment.Uri);
        var codes = await fx.TwoFactor.CompleteEnrollmentAsync("frank", (await fx.TwoFactor.CurrentCodeAsync("frank", TimeSpan.Zero, default))!, default);
        Assert.NotNull(codes);

        foreach (var protocol in new[] { "imap", "pop3", "smtp" })
        {
            var main = await fx.LoginAsync("frank", LoginFixture.Password, protocol: protocol);
            Assert.Equal(LoginFailureReason.SecondFactorRequired, main.Reason);
            Assert.Equal(LoginOutcome.Failed, main.Outcome);
        }

        var (_, imapOnly) = await fx.AppPasswords.CreateAsync("frank", "laptop", ["imap"], null, default);
        Assert.True((await fx.LoginAsync("frank", imapOnly, protocol: "imap")).Succeeded);
        Assert.True((await fx.LoginAsync("frank", imapOnly.ToUpperInvariant().Replace("-", " "), protocol: "imap")).Succeeded);
        Assert.Equal(LoginFailureReason.BadPassword, (await fx.LoginAsync("frank", imapOnly, protocol: "pop3")).Reason);

        var (_, homeOnly) = await fx.AppPasswords.CreateAsync("frank", "desktop", null, ["192.0.2.0/24"], default);
        Assert.True((await fx.LoginAsync("frank", homeOnly, ip: "::ffff:192.0.2.9", protocol: "pop3")).Succeeded);
        Assert.False((await fx.LoginAsync("frank", homeOnly, ip: "198.51.100.1", protocol: "pop3")).Succeeded);

        var listed = await fx.AppPasswords.ListAsync("frank", default);
        var desktop = Assert.Single(listed, r => r.Label == "desktop");
        Assert.Equal("pop3", desktop.LastProtocol);
        Assert.Equal("192.0.2.9", desktop.LastAddress);
        Assert.Equal(fx.Time.GetUtcNow(), desktop.LastUsed);
        Assert.DoesNotContain(homeOnly.Replace("-", string.Empty), desktop.Hash);
    }

    [Fact]
    public async Task F02_a_revoked_app_password_fails_and_fires_its_token()
    {
        await fx.AddAsync("gina");
        var (_, password) = await fx.AppPasswords.CreateAsync("gina", "tablet", null, null, default);
        var session = await fx.LoginAsync("gina", password);
        Assert.True(session.Succeeded);
        Assert.False(session.Revoked.IsCancellationRequested);

        Assert.True(await fx.AppPasswords.RevokeAsync("gina", "TABLET", default));
        Assert.True(session.Revoked.IsCancellationRequested);
        Assert.False((await fx.LoginAsync("gina", password)).Succeeded);
        Assert.False(await fx.AppPasswords.RevokeAsync("gina", "tablet", default));
    }

    [Fact]
    public async Task F02_a_revocation_by_another_process_is_found_by_the_sweep()
    {
        await fx.AddAsync("hugo");
        var (_, password) = await fx.AppPasswords.CreateAsync("hugo", "phone", null, null, default);
        var session = await fx.LoginAsync("hugo", password);

        // Another process (the CLI) revokes through its own service over the same secrets.
        var cli = new AppPasswordService(fx.Secrets, TestSecurity.Hasher);
        Assert.True(await cli.RevokeAsync("hugo", "phone", default));
        Assert.False(session.Revoked.IsCancellationRequested);
        await fx.AppPasswords.Revocations.SweepAsync(fx.AppPasswords, default);
        Assert.True(session.Revoked.IsCancellationRequested);
        Assert.Equal(0, fx.AppPasswords.Revocations.Watched);
    }

    [Fact]
    public async Task I02_account_rules_refuse_a_right_password_from_outside()
    {
        await fx.AddAsync("ivan");
        var rules = new AccountAccessRules(fx.Secrets);
        var set = new AccessRuleSet();
        set.Add("192.0.2.0/24", AccessAction.Allow, null);
        set.Add("192.0.2.128/25", AccessAction.Deny, "pop3");
        await rules.SaveAsync("ivan", set, default);

        Assert.True((await fx.LoginAsync("ivan", LoginFixture.Password, ip: "192.0.2.10")).Succeeded);
        Assert.True((await fx.LoginAsync("ivan", LoginFixture.Password, ip: "192.0.2.200", protocol: "imap")).Succeeded);
        var denied = await fx.LoginAsync("ivan", LoginFixture.Password, ip: "192.0.2.200", protocol: "pop3");
        Assert.Equal(LoginFailureReason.AccessDenied, denied.Reason);
        Assert.Contains("192.0.2.128/25", denied.Detail);
        var outside = await fx.LoginAsync("ivan", LoginFixture.Password, ip: "::ffff:198.51.100.1");
        Assert.Equal("not in any allow rule", outside.Detail);
        Assert.Equal(0, fx.Guard.FailuresFrom(IPAddress.Parse("198.51.100.1")));
    }

    [Fact]
    public async Task P03_an_expired_password_gets_expired_and_app_passwords_are_unaffected()
    {
        await fx.AddAsync("judy");
        var (_, app) = await fx.AppPasswords.CreateAsync("judy", "phone", null, null, default);
        fx.Time.Advance(TimeSpan.FromDays(91));
        var expired = await fx.LoginAsync("judy", LoginFixture.Password);
        Assert.Equal(LoginOutcome.Expired, expired.Outcome);
        Assert.Equal("judy", expired.AccountName);
        Assert.True((await fx.LoginAsync("judy", app)).Succeeded);
        Assert.Equal(LoginOutcome.Failed, (await fx.LoginAsync("judy", "Wrong-Password-9!")).Outcome);

        var step = await PlainAsync("judy", LoginFixture.Password, "192.0.2.5");
        Assert.Equal(SaslFailureReason.Expired, step.FailureReason);
    }

    [Fact]
    public async Task A12_cache_hits_never_cross_users_and_end_on_failure_or_change()
    {
        await fx.AddAsync("kate", "Shared-Secret-Phrase-1");
        await fx.AddAsync("liam", "Other-Secret-Phrase-2");
        Assert.True((await fx.LoginAsync("kate", "Shared-Secret-Phrase-1")).Succeeded);
        Assert.Equal(1, fx.Cache.Count);

        // The same password for another user is not a hit.
        Assert.Equal(LoginFailureReason.BadPassword, (await fx.LoginAsync("liam", "Shared-Secret-Phrase-1")).Reason);
        Assert.True(fx.Cache.IsVerified("kate", Ip("192.0.2.1"), "Shared-Secret-Phrase-1", "kate", (await fx.FindAsync("kate", default))!.Password!.PasswordHash));
        Assert.False(fx.Cache.IsVerified("liam", Ip("192.0.2.1"), "Shared-Secret-Phrase-1", "liam", (await fx.FindAsync("kate", default))!.Password!.PasswordHash));

        // A failure drops the user's entries.
        await fx.LoginAsync("kate", "Wrong-Phrase-3!");
        Assert.Equal(0, fx.Cache.Count);

        // A password change ends the old password at once, cache or not.
        Assert.True((await fx.LoginAsync("kate", "Shared-Secret-Phrase-1", ip: "192.0.2.9")).Succeeded);
        await fx.Changer.ChangeAsync("kate", "Brand-New-Phrase-4!", default);
        Assert.False((await fx.LoginAsync("kate", "Shared-Secret-Phrase-1", ip: "192.0.2.9")).Succeeded);
        Assert.True((await fx.LoginAsync("kate", "Brand-New-Phrase-4!", ip: "192.0.2.10")).Succeeded);

        Assert.True(fx.Cache.IsVerified("kate", Ip("192.0.2.10"), "Brand-New-Phrase-4!", "kate", (await fx.FindAsync("kate", default))!.Password!.PasswordHash));
        Assert.False(fx.Cache.IsVerified("kate", Ip("198.51.100.10"), "Brand-New-Phrase-4!", "kate", (await fx.FindAsync("kate", default))!.Password!.PasswordHash));
        fx.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.False(fx.Cache.IsVerified("kate", Ip("192.0.2.10"), "Brand-New-Phrase-4!", "kate", (await fx.FindAsync("kate", default))!.Password!.PasswordHash));
    }

    [Fact]
    public async Task E02_a_right_password_refused_by_the_throttle_is_never_remembered()
    {
        await fx.AddAsync("mona");
        for (var i = 0; i < fx.Guard.Options.AccountThrottleThreshold; i++)
        {
            await fx.LoginAsync("mona", "guess-" + i, ip: $"10.3.0.{i + 1}");
        }

        // The guesser finds the right password but is throttled; trying it again must cost the hash again, or the
        // quick second reply would confirm it.
        Assert.Equal(LoginFailureReason.AccountThrottled, (await fx.LoginAsync("mona", LoginFixture.Password, ip: "198.51.100.20")).Reason);
        Assert.Equal(0, fx.Cache.Count);
        Assert.Equal(LoginFailureReason.AccountThrottled, (await fx.LoginAsync("mona", LoginFixture.Password, ip: "198.51.100.20")).Reason);
        Assert.Equal(0, fx.Cache.Count);
    }

    private static System.Net.IPAddress Ip(string text) => System.Net.IPAddress.Parse(text);

    [Fact]
    public async Task Hashing_queue_runs_at_most_its_concurrency_and_queues_the_rest()
    {
        using var queue = new LoginCache.HashingQueue(2);
        var running = 0;
        var peak = 0;
        var tasks = Enumerable.Range(0, 20).Select(_ => queue.RunAsync(() =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            Thread.Sleep(5);
            Interlocked.Decrement(ref running);
            return true;
        }, default)).ToList();
        Assert.All(await Task.WhenAll(tasks), Assert.True);
        Assert.InRange(peak, 1, 2);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private async Task<SaslStep> PlainAsync(string user, string password, string ip)
    {
        var verifier = fx.Authenticator.ForConnection(IPAddress.Parse(ip), "imap");
        var context = TestSecurity.Context(fx) with { PasswordVerifier = verifier };
        Assert.True(SaslMechanismFactory.CreateDefault().TryCreateServer("PLAIN", context, out var server));
        var step = await server.StartAsync(System.Text.Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
        Assert.NotNull(verifier.LastResult);
        return step;
    }
}
