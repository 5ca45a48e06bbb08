using Rampart.Monitoring.Events;

namespace Rampart.Security.Guard;

/// <summary>The account-security pieces IMAP and POP3 log in through: the full login check (guard delays and bans,
/// app passwords, the two-factor rule, per-account access rules, password expiry), the session limits, and the audit
/// events (SECURITY.md B01–B05, C01, F02, L01).</summary>
/// <param name="Login">Checks every login; each connection binds it to its client with
/// <see cref="LoginAuthenticator.ForConnection"/>.</param>
/// <param name="Sessions">Counts authenticated sessions per account and client; null for no limit.</param>
/// <param name="Events">Where authentication successes and failures are reported; null to report nothing.</param>
public sealed record LoginSecurity(LoginAuthenticator Login, SessionLimiter? Sessions = null, ISecurityEvents? Events = null)
{
    /// <summary>Commands a session may send at full speed before pacing starts (C04); see <see cref="CommandsPerSecond"/>.</summary>
    public int CommandBurst { get; init; } = CommandRateLimiter.DefaultBurst;

    /// <summary>Commands a second a session is paced to once its burst is spent (C04); zero or less turns pacing off
    /// (the default here; <c>rampart serve</c> sets <c>Limits:CommandsPerSecond</c>).</summary>
    public double CommandsPerSecond { get; init; }

    /// <summary>Called when a session that had commands paced ends, with its protocol, connection and pacer (for the log).</summary>
    public Action<string, Rampart.Net.Listeners.Connection, CommandPacer>? SessionPaced { get; init; }
}
