using System.Net;
using Rampart.Security.Access;
using Rampart.Security.AppPasswords;
using Rampart.Security.Credentials;
using Rampart.Security.LoginCache;
using Rampart.Security.Passwords;
using Rampart.Security.Policy;
using Rampart.Security.TwoFactor;

namespace Rampart.Security.Guard;

/// <summary>
/// The one path for password logins on every protocol (IMAP LOGIN and AUTHENTICATE PLAIN/LOGIN, POP3 USER/PASS and
/// AUTH PLAIN, SMTP AUTH): the guard's delay and ban, the verified-login cache and the hashing queue, the main
/// password or an app password, the per-account throttle, the account's access rules, two factors, expiry.
/// </summary>
/// <remarks>
/// <para>No enumeration (E01, E02): every path does the same Argon2 work before deciding (one verification, two when
/// the input has the app-password shape: the app password's, or a dummy, and the main password's, or a dummy), and
/// every refusal is <see cref="LoginOutcome.Failed"/>. The throttle, access rules and two-factor rule are applied
/// after the hash, so a refused login takes as long as a wrong one, and an unknown name is refused like a known one.</para>
/// <para>Failures are recorded in the guard with a fingerprint of the secret (B02) and drop the user's cache entries.
/// A right secret refused by policy (throttle, access rule, two factors) is not counted as a guess.</para>
/// </remarks>
public sealed class LoginAuthenticator
{
    /// <summary>The text for <see cref="LoginOutcome.Expired"/>.</summary>
    public const string ExpiredText = "Password expired: choose a new one with `rampart passwd NAME` or ask your administrator";

    /// <summary>The protocols that cannot prompt for a second factor, and so refuse the main password when two factors
    /// are on (SECURITY.md "two factors").</summary>
    public static readonly IReadOnlySet<string> NoSecondFactorProtocols = new HashSet<string>(["imap", "pop3", "smtp"], StringComparer.OrdinalIgnoreCase);

    private readonly ICredentialSource _credentials;
    private readonly PasswordHasher _hasher;

    /// <summary>Creates the authenticator; the optional parts are set with the init properties.</summary>
    public LoginAuthenticator(ICredentialSource credentials, PasswordHasher hasher, AuthGuard guard)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(guard);
        _credentials = credentials;
        _hasher = hasher;
        Guard = guard;
    }

    /// <summary>The guard.</summary>
    public AuthGuard Guard { get; }

    /// <summary>App passwords, or null when the server has none.</summary>
    public AppPasswordService? AppPasswords { get; init; }

    /// <summary>Two factors, or null.</summary>
    public TwoFactorService? TwoFactor { get; init; }

    /// <summary>Per-account access rules, or null.</summary>
    public AccountAccessRules? AccessRules { get; init; }

    /// <summary>The password policy (for expiry).</summary>
    public PasswordPolicy Policy { get; init; } = PasswordPolicy.Default;

    /// <summary>Where known networks persist across restarts, or null to keep them in memory only.</summary>
    public KnownNetworkStore? KnownNetworks { get; init; }

    /// <summary>The verified-login cache, or null for none.</summary>
    public VerifiedLoginCache? Cache { get; init; }

    /// <summary>The Argon2 queue, or null to hash on the caller's thread.</summary>
    public HashingQueue? Hashing { get; init; }

    /// <summary>Whether <see cref="CheckAsync"/> waits the guard's delay itself (default true). A protocol that wants to
    /// wait elsewhere turns it off and waits <see cref="LoginResult.Delay"/>.</summary>
    public bool ApplyDelays { get; init; } = true;

    /// <summary>A verifier for PLAIN and LOGIN on one connection (<see cref="Sasl.SaslContext.PasswordVerifier"/>);
    /// its <see cref="ConnectionPasswordVerifier.LastResult"/> has the details after each check.</summary>
    public ConnectionPasswordVerifier ForConnection(IPAddress client, string protocol) => new(this, client, protocol);

    /// <summary>Checks one password login end to end.</summary>
    public ValueTask<LoginResult> CheckAsync(LoginRequest request, CancellationToken cancellationToken) => CheckCoreAsync(request, skipDelay: false, cancellationToken);

    internal async ValueTask<LoginResult> CheckCoreAsync(LoginRequest request, bool skipDelay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var decision = Guard.BeginAttempt(request.Client, request.UserName, request.Protocol, request.Mechanism);
        if (decision.IsBanned)
        {
            return new LoginResult { Outcome = LoginOutcome.Banned, Reason = LoginFailureReason.Banned };
        }

        if (decision.Delay > TimeSpan.Zero && ApplyDelays && !skipDelay)
        {
            await Task.Delay(decision.Delay, Guard.Time, cancellationToken).ConfigureAwait(false);
        }

        var lookup = await _credentials.FindAsync(request.UserName, cancellationToken).ConfigureAwait(false);

        // The app password first when the input has its shape; it costs one hash (a dummy when nothing matches).
        AppPasswordMatch? app = null;
        if (AppPasswordFormat.TryParse(request.Password, out _, out _))
        {
            if (AppPasswords is null)
            {
                await HashAsync(() => _hasher.VerifyUnknownUser(request.Password), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var appPasswords = AppPasswords;
                app = await appPasswords.VerifyAsync(lookup?.AccountName, request.Password, request.Protocol, request.Client, cancellationToken).ConfigureAwait(false);
            }
        }

        var mainOk = app is null && await VerifyMainAsync(request, lookup, cancellationToken).ConfigureAwait(false);
        var kind = app is not null ? CredentialKind.AppPassword : CredentialKind.Password;

        if (lookup is null)
        {
            return Fail(request, null, LoginFailureReason.UnknownUser, decision.Delay);
        }

        if (app is null && !mainOk)
        {
            return Fail(request, lookup.AccountName, lookup.Password is null ? LoginFailureReason.NoPassword : LoginFailureReason.BadPassword, decision.Delay);
        }

        if (!lookup.Enabled)
        {
            return Fail(request, lookup.AccountName, LoginFailureReason.Disabled, decision.Delay);
        }

        var result = await AfterSecretAsync(request.Client, request.Protocol, request.Mechanism, lookup, kind, app, decision.Delay, cancellationToken).ConfigureAwait(false);

        // Only a login that went through is remembered: a right password refused by the throttle, an access rule or
        // the two-factor rule must cost the full hash again next time, or its quick reply would confirm it (E02).
        if (result.Outcome == LoginOutcome.Success && app is null && lookup.Password is { } verified)
        {
            Cache?.Add(request.UserName, request.Client, request.Password, lookup.AccountName, verified.PasswordHash);
        }

        return result;
    }

    /// <summary>
    /// Finishes a SASL exchange that did not go through the password verifier (SCRAM, CRAM-MD5, EXTERNAL, bearer
    /// tokens): a failure is counted in the guard (no fingerprint: proofs differ on every try); a success still passes
    /// the per-account throttle, the account's access rules, the two-factor rule and expiry, exactly like a password
    /// login. Call <see cref="AuthGuard.BeginAttempt"/> (or <see cref="ConnectionPasswordVerifier.BeginAsync"/>) before the exchange.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="protocol"><c>imap</c>, <c>pop3</c> or <c>smtp</c>.</param>
    /// <param name="mechanism">The mechanism's name.</param>
    /// <param name="step">The exchange's final step.</param>
    /// <param name="kind">The secret the mechanism proved: <see cref="CredentialKind.Password"/> for SCRAM and CRAM-MD5,
    /// <see cref="CredentialKind.External"/> for certificates, tokens and Kerberos.</param>
    /// <param name="cancellationToken">Cancels the policy lookups.</param>
    public async ValueTask<LoginResult> CompleteSaslAsync(IPAddress client, string protocol, string mechanism, Sasl.SaslStep step, CredentialKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(step);
        if (!step.IsSuccess)
        {
            // One account, one counter (B04): a failure under an alias counts against the account it names.
            var account = step.AttemptedUser is { } named ? (await _credentials.FindAsync(named, cancellationToken).ConfigureAwait(false))?.AccountName ?? named : null;
            Guard.RecordFailure(client, account, protocol, mechanism);
            if (step.AttemptedUser is { } attempted)
            {
                Cache?.Forget(attempted);
            }

            return new LoginResult
            {
                Outcome = step.FailureReason == Sasl.SaslFailureReason.Expired ? LoginOutcome.Expired : LoginOutcome.Failed,
                Reason = step.FailureReason switch
                {
                    Sasl.SaslFailureReason.UnknownUser => LoginFailureReason.UnknownUser,
                    Sasl.SaslFailureReason.Disabled => LoginFailureReason.Disabled,
                    Sasl.SaslFailureReason.NoCredential => LoginFailureReason.NoPassword,
                    Sasl.SaslFailureReason.Expired => LoginFailureReason.Expired,
                    _ => LoginFailureReason.BadPassword,
                },
            };
        }

        var lookup = await _credentials.FindAsync(step.Identity!.AccountName, cancellationToken).ConfigureAwait(false);
        if (lookup is null || !lookup.Enabled)
        {
            return new LoginResult { Outcome = LoginOutcome.Failed, Reason = lookup is null ? LoginFailureReason.UnknownUser : LoginFailureReason.Disabled };
        }

        return await AfterSecretAsync(client, protocol, mechanism, lookup, kind, null, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<LoginResult> AfterSecretAsync(
        IPAddress client, string protocol, string mechanism, CredentialLookup lookup, CredentialKind kind, AppPasswordMatch? app, TimeSpan delay, CancellationToken cancellationToken)
    {
        // From here the secret was right: refusals are policy, not guesses, and are not counted against the client.
        if (KnownNetworks is not null)
        {
            await KnownNetworks.LoadIntoAsync(Guard, lookup.AccountName, cancellationToken).ConfigureAwait(false);
        }

        // Keyed by the account, not the name typed: a login by alias and one by login name share one counter (B04).
        if (Guard.IsAccountThrottled(lookup.AccountName, client, kind))
        {
            return Refuse(LoginFailureReason.AccountThrottled, delay, kind);
        }

        if (AccessRules is not null)
        {
            var access = await AccessRules.EvaluateAsync(lookup.AccountName, client, protocol, cancellationToken).ConfigureAwait(false);
            if (!access.Allowed)
            {
                return Refuse(LoginFailureReason.AccessDenied, delay, kind, access.Reason);
            }
        }

        if (kind == CredentialKind.Password
            && TwoFactor is not null
            && NoSecondFactorProtocols.Contains(protocol)
            && await TwoFactor.IsEnabledAsync(lookup.AccountName, cancellationToken).ConfigureAwait(false))
        {
            return Refuse(LoginFailureReason.SecondFactorRequired, delay, kind);
        }

        if (kind == CredentialKind.Password && lookup.Password is { } credential && Policy.IsExpired(credential.ChangedAt, Guard.Time.GetUtcNow()))
        {
            return new LoginResult
            {
                Outcome = LoginOutcome.Expired,
                Reason = LoginFailureReason.Expired,
                AccountName = lookup.AccountName,
                Kind = kind,
                Delay = delay,
            };
        }

        var newNetwork = !Guard.IsKnownNetwork(lookup.AccountName, client);
        Guard.RecordSuccess(client, lookup.AccountName, protocol, mechanism, kind);
        if (newNetwork && KnownNetworks is not null)
        {
            await KnownNetworks.AddAsync(lookup.AccountName, client, Guard.Time.GetUtcNow(), Guard.Options.KnownNetworkLifetime, cancellationToken).ConfigureAwait(false);
        }

        return new LoginResult
        {
            Outcome = LoginOutcome.Success,
            AccountName = lookup.AccountName,
            Kind = kind,
            AppPassword = app,
            Revoked = app is not null && AppPasswords is not null ? AppPasswords.Revocations.Watch(lookup.AccountName, app.Id) : CancellationToken.None,
            Delay = delay,
        };
    }

    private async ValueTask<bool> VerifyMainAsync(LoginRequest request, CredentialLookup? lookup, CancellationToken cancellationToken)
    {
        if (lookup?.Password is not { } credential)
        {
            return await HashAsync(() => _hasher.VerifyUnknownUser(request.Password), cancellationToken).ConfigureAwait(false);
        }

        if (Cache is not null && Cache.IsVerified(request.UserName, request.Client, request.Password, lookup.AccountName, credential.PasswordHash))
        {
            return true;
        }

        return await HashAsync(() => _hasher.Verify(request.Password, credential.PasswordHash), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> HashAsync(Func<bool> work, CancellationToken cancellationToken) =>
        Hashing is null ? work() : await Hashing.RunAsync(work, cancellationToken).ConfigureAwait(false);

    /// <param name="request">The attempt.</param>
    /// <param name="accountName">The account the name resolved to (an alias resolves to its account), or null for an
    /// unknown name: the guard counts per account, so aliases and the login name share one counter (B04).</param>
    /// <param name="reason">Why (for the audit log only).</param>
    /// <param name="delay">The delay the guard asked for.</param>
    private LoginResult Fail(LoginRequest request, string? accountName, LoginFailureReason reason, TimeSpan delay)
    {
        var key = accountName ?? request.UserName;
        Guard.RecordFailure(request.Client, key, request.Protocol, request.Mechanism, SecretFingerprint.Of(key, request.Password));
        Cache?.Forget(request.UserName);
        Cache?.Forget(key);
        return new LoginResult { Outcome = LoginOutcome.Failed, Reason = reason, Delay = delay };
    }

    private static LoginResult Refuse(LoginFailureReason reason, TimeSpan delay, CredentialKind kind, string detail = "") =>
        new() { Outcome = LoginOutcome.Failed, Reason = reason, Kind = kind, Delay = delay, Detail = detail };
}
