using Rampart.Monitoring.Events;
using Rampart.Net.Listeners;

namespace Rampart.Security.Guard;

/// <summary>One connection's view of <see cref="LoginSecurity"/>: its password verifier, the facts every audit event
/// carries, and the session lease once logged in. One implementation for every protocol.</summary>
public sealed class ConnectionSecurity : IDisposable
{
    private readonly string _protocol;
    private readonly LoginSecurity _security;
    private readonly Connection _connection;
    private readonly CancellationTokenSource _end;
    private SessionLease? _lease;
    private CancellationTokenRegistration _revoked;

    /// <param name="security">The server's login check, session limits and event sink.</param>
    /// <param name="protocol">"imap", "pop3" or "smtp": the protocol counters, rules and events are keyed by.</param>
    /// <param name="connection">The connection being served.</param>
    /// <param name="end">Cancelled to end the session (e.g. when the app password used is revoked).</param>
    public ConnectionSecurity(LoginSecurity security, string protocol, Connection connection, CancellationTokenSource end)
    {
        ArgumentNullException.ThrowIfNull(security);
        ArgumentNullException.ThrowIfNull(connection);
        _protocol = protocol;
        _security = security;
        _connection = connection;
        _end = end;
        Verifier = security.Login.ForConnection(connection.RemoteEndPoint.Address, protocol);
        Commands = security.CommandsPerSecond > 0
            ? new CommandPacer(security.CommandBurst, security.CommandsPerSecond) { FirstPaced = () => LimitHit(null, "command-rate") }
            : null;
    }

    /// <summary>This connection's command pacing (C04), or null when it is off.</summary>
    public CommandPacer? Commands { get; }

    /// <summary>Waits before the next command as the command-rate limit asks (C04); call once per command, before dispatch.</summary>
    public Task PaceCommandAsync(CancellationToken cancellationToken) => Commands?.PaceAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Runs the full login check for IMAP LOGIN and POP3 USER/PASS, and for PLAIN/LOGIN through the SASL context.</summary>
    public ConnectionPasswordVerifier Verifier { get; }

    /// <summary>The certificate the client sent in the TLS handshake (not validated), for SASL EXTERNAL; or null.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate => _connection.ClientCertificate;

    /// <summary>The listener the connection came in on (its client-certificate settings).</summary>
    public string ListenerName => _connection.ListenerName;

    /// <summary>Counts the new session; false when a session limit refuses it (C01).</summary>
    public bool TryStartSession(LoginResult result)
    {
        EndSession();
        if (_security.Sessions is { } sessions)
        {
            _lease = sessions.TryAcquire(result.AccountName!, _connection.RemoteEndPoint.Address);
            if (_lease is null)
            {
                LimitHit(result.AccountName, sessions.SessionsOf(result.AccountName!) >= sessions.PerAccount ? "sessions-per-account" : "sessions-per-user-and-ip");
                return false;
            }
        }

        // F02: revoking the app password this session logged in with ends the session.
        if (result.Revoked.CanBeCanceled)
        {
            _revoked = result.Revoked.Register(static state => ((CancellationTokenSource)state!).Cancel(), _end);
        }

        return true;
    }

    public void Succeeded(LoginResult result, string mechanism)
    {
        ReportThrottle(result.AccountName, mechanism);
        _security.Events?.Raise(new AuthenticationSucceeded
        {
            Protocol = _protocol,
            Listener = _connection.ListenerName,
            Port = _connection.LocalEndPoint.Port,
            SessionId = _connection.Id,
            ClientIp = _connection.RemoteEndPoint.Address,
            User = result.AccountName,
            Mechanism = mechanism,
            TlsVersion = _connection.IsTls ? _connection.TlsProtocol.ToString() : null,
            TlsSuite = _connection.CipherSuite?.ToString(),
            Credential = CredentialOf(result),
        });
    }

    /// <summary>Reports a refused login; <paramref name="user"/> is the name as the client gave it (never a secret).
    /// A guard delay applied to it and a per-account throttle that refused it are reported too, each once per step or
    /// engagement (<see cref="AuthGuard.ClaimThrottleReport"/>, <see cref="AuthGuard.ClaimLockoutReport"/>).</summary>
    public void Failed(string? user, string mechanism, string reason)
    {
        ReportThrottle(user, mechanism);
        if (reason == "account-throttled" && user is not null && _security.Login.Guard.ClaimLockoutReport(user, out var until))
        {
            _security.Events?.Raise(Describe(new LockedOut { User = user, Mechanism = mechanism, Until = until, Reason = "account-throttle" }));
        }

        _security.Events?.Raise(new AuthenticationFailed
        {
            Protocol = _protocol,
            Listener = _connection.ListenerName,
            Port = _connection.LocalEndPoint.Port,
            SessionId = _connection.Id,
            ClientIp = _connection.RemoteEndPoint.Address,
            User = user,
            Mechanism = mechanism,
            TlsVersion = _connection.IsTls ? _connection.TlsProtocol.ToString() : null,
            TlsSuite = _connection.CipherSuite?.ToString(),
            Reason = reason,
        });
    }

    /// <summary>Reports a limit that refused or ended something on this connection (issue 7): <paramref name="limit"/> names
    /// it, e.g. <c>sessions-per-account</c>, <c>literal-size</c>, <c>line-length</c>, <c>message-size</c>.</summary>
    public void LimitHit(string? user, string limit) =>
        _security.Events?.Raise(Describe(new Rampart.Monitoring.Events.LimitHit { User = user, Limit = limit, Reason = limit }));

    private void ReportThrottle(string? user, string mechanism)
    {
        var delay = Verifier.LastDelay;
        if (delay > TimeSpan.Zero && _security.Events is { } events && _security.Login.Guard.ClaimThrottleReport(_connection.RemoteEndPoint.Address, delay))
        {
            events.Raise(Describe(new Throttled { User = user, Mechanism = mechanism, Delay = delay, Reason = "failures from this network" }));
        }
    }

    /// <summary>Fills in the connection's facts every event carries.</summary>
    private T Describe<T>(T securityEvent)
        where T : SecurityEvent => securityEvent with
        {
            Protocol = _protocol,
            Listener = _connection.ListenerName,
            Port = _connection.LocalEndPoint.Port,
            SessionId = _connection.Id,
            ClientIp = _connection.RemoteEndPoint.Address,
        };

    /// <summary>The audit reason for a result (SECURITY.md E01: the client only ever sees the generic failure).</summary>
    public static string ReasonOf(LoginResult result) => result.Outcome == LoginOutcome.Banned ? "banned" : result.Reason switch
    {
        LoginFailureReason.UnknownUser => "unknown-user",
        LoginFailureReason.BadPassword => "bad-credentials",
        LoginFailureReason.Disabled => "disabled",
        LoginFailureReason.NoPassword => "no-password",
        LoginFailureReason.Banned => "banned",
        LoginFailureReason.AccountThrottled => "account-throttled",
        LoginFailureReason.AccessDenied => "ip-rule",
        LoginFailureReason.SecondFactorRequired => "2fa-required",
        LoginFailureReason.Expired => "expired",
        _ => "failed",
    };

    private static string CredentialOf(LoginResult result) => result.Kind switch
    {
        Rampart.Security.Credentials.CredentialKind.AppPassword => "app-password:" + result.AppPassword?.Label,
        Rampart.Security.Credentials.CredentialKind.RecoveryCode => "recovery-code",
        Rampart.Security.Credentials.CredentialKind.External => "external",
        _ => "password",
    };

    /// <summary>Releases the session counted by <see cref="TryStartSession"/> (the login did not complete, or the
    /// connection ended).</summary>
    public void EndSession()
    {
        _revoked.Dispose();
        _revoked = default;
        _lease?.Dispose();
        _lease = null;
    }

    public void Dispose()
    {
        EndSession();
        if (Commands is { Paced: > 0 } paced)
        {
            _security.SessionPaced?.Invoke(_protocol, _connection, paced);
        }
    }
}
