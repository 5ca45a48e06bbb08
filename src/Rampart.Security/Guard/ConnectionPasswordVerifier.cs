using System.Net;
using Rampart.Security.Credentials;

namespace Rampart.Security.Guard;

/// <summary>
/// <see cref="LoginAuthenticator"/> bound to one connection, as the <see cref="IPasswordVerifier"/> that PLAIN and
/// LOGIN call through <see cref="Sasl.SaslContext.PasswordVerifier"/>. After a check, <see cref="LastResult"/> holds the
/// full result: the protocol reads the audit reason, the credential kind and the revocation token from it.
/// </summary>
public sealed class ConnectionPasswordVerifier : IPasswordVerifier
{
    private readonly LoginAuthenticator _authenticator;

    internal ConnectionPasswordVerifier(LoginAuthenticator authenticator, IPAddress client, string protocol)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(protocol);
        _authenticator = authenticator;
        Client = client;
        Protocol = protocol;
    }

    /// <summary>The connection's client.</summary>
    public IPAddress Client { get; }

    /// <summary>The connection's protocol.</summary>
    public string Protocol { get; }

    /// <summary>The result of the latest check on this connection, or null.</summary>
    public LoginResult? LastResult { get; private set; }

    /// <summary>The guard's per-client delay applied to the last attempt (zero for none): for the <c>throttle</c> audit event.</summary>
    public TimeSpan LastDelay { get; private set; }

    /// <summary>The mechanisms whose secret is not a password; the rest (SCRAM, CRAM-MD5) prove the main password.</summary>
    public static readonly IReadOnlySet<string> ExternalMechanisms = new HashSet<string>(["EXTERNAL", "OAUTHBEARER", "XOAUTH2", "GSSAPI"], StringComparer.OrdinalIgnoreCase);

    private bool _delayApplied;

    /// <summary>
    /// Starts one authentication attempt with <paramref name="mechanism"/>: asks the guard, waits its delay, and forgets
    /// the previous result. A banned client gets <see cref="AuthVerdict.Banned"/>: close the connection.
    /// </summary>
    public async ValueTask<AuthDecision> BeginAsync(string mechanism, CancellationToken cancellationToken)
    {
        LastResult = null;
        var decision = _authenticator.Guard.BeginAttempt(Client, null, Protocol, mechanism);
        if (decision.Delay > TimeSpan.Zero && _authenticator.ApplyDelays)
        {
            await Task.Delay(decision.Delay, _authenticator.Guard.Time, cancellationToken).ConfigureAwait(false);
        }

        _delayApplied = true;
        LastDelay = decision.Delay;
        return decision;
    }

    /// <summary>
    /// Ends the attempt begun with <see cref="BeginAsync"/> once the SASL exchange is over: for PLAIN and LOGIN the
    /// verifier's own result; for any other mechanism the guard counts a failure, and a success passes the same
    /// policies as a password login (<see cref="LoginAuthenticator.CompleteSaslAsync"/>).
    /// </summary>
    public async ValueTask<LoginResult> CompleteAsync(string mechanism, Sasl.SaslStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        _delayApplied = false;
        if (LastResult is { } result)
        {
            return result;
        }

        var kind = ExternalMechanisms.Contains(mechanism) ? CredentialKind.External : CredentialKind.Password;
        LastResult = await _authenticator.CompleteSaslAsync(Client, Protocol, mechanism, step, kind, cancellationToken).ConfigureAwait(false);
        return LastResult;
    }

    /// <inheritdoc/>
    public async ValueTask<PasswordCheck> CheckAsync(string userName, string password, string mechanism, CancellationToken cancellationToken)
    {
        // After BeginAsync the guard's delay has been waited already; a bare check (IMAP LOGIN) waits it here.
        var result = await _authenticator.CheckCoreAsync(new LoginRequest(Client, userName, password, Protocol, mechanism), _delayApplied, cancellationToken).ConfigureAwait(false);
        LastResult = result;
        LastDelay = result.Delay;
        var outcome = result.Outcome switch
        {
            LoginOutcome.Success => PasswordCheckOutcome.Success,
            LoginOutcome.Expired => PasswordCheckOutcome.Expired,
            _ => result.Reason switch
            {
                // The SASL layer keeps the finer reasons for its own audit; on the wire they are all one failure.
                LoginFailureReason.UnknownUser => PasswordCheckOutcome.UnknownUser,
                LoginFailureReason.BadPassword => PasswordCheckOutcome.BadPassword,
                LoginFailureReason.Disabled => PasswordCheckOutcome.Disabled,
                LoginFailureReason.NoPassword => PasswordCheckOutcome.NoPassword,
                _ => PasswordCheckOutcome.Refused,
            },
        };
        return new PasswordCheck(outcome, result.AccountName) { Kind = result.Kind };
    }
}
