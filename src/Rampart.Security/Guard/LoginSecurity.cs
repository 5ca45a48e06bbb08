using Rampart.Monitoring.Events;

namespace Rampart.Security.Guard;

/// <summary>The account-security pieces IMAP and POP3 log in through: the full login check (guard delays and bans,
/// app passwords, the two-factor rule, per-account access rules, password expiry), the session limits, and the audit
/// events (SECURITY.md B01–B05, C01, F02, L01).</summary>
/// <param name="Login">Checks every login; each connection binds it to its client with
/// <see cref="LoginAuthenticator.ForConnection"/>.</param>
/// <param name="Sessions">Counts authenticated sessions per account and client; null for no limit.</param>
/// <param name="Events">Where authentication successes and failures are reported; null to report nothing.</param>
public sealed record LoginSecurity(LoginAuthenticator Login, SessionLimiter? Sessions = null, ISecurityEvents? Events = null);
