using System.Net;

namespace Rampart.Monitoring.Events;

/// <summary>
/// One security-relevant fact, raised by any layer through <see cref="ISecurityEvents.Raise"/>. The common fields are
/// those of SECURITY.md L01 (OWASP ASVS V16): time, protocol, listener and port, session id, client IP, user,
/// mechanism, TLS version and suite, result and reason. Subtypes add what their kind needs.
/// </summary>
/// <remarks>No event type has a field for a password, a token, a SASL response or anything derived from one: a secret
/// cannot reach the audit log through an event. Free text (<see cref="User"/>, <see cref="Reason"/>) is attacker
/// supplied; the audit writer escapes it and caps its length.</remarks>
public abstract record SecurityEvent
{
    /// <summary>When it happened (UTC). Defaults to now; detectors window on this value.</summary>
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>What happened.</summary>
    public abstract SecurityEventKind Kind { get; }

    /// <summary>imap, pop3, smtp, lmtp, admin, cli; null when no protocol applies.</summary>
    public string? Protocol { get; init; }

    /// <summary>The listener's configured name (imaps, pop3, …).</summary>
    public string? Listener { get; init; }

    /// <summary>The local port the client connected to.</summary>
    public int? Port { get; init; }

    /// <summary>The connection's id (<c>Connection.Id</c>): ties every line of one session together.</summary>
    public string? SessionId { get; init; }

    /// <summary>The client address (after PROXY v2 from a trusted proxy).</summary>
    public IPAddress? ClientIp { get; init; }

    /// <summary>The account name, as given by the client on failures (hostile text) or as resolved on success.</summary>
    public string? User { get; init; }

    /// <summary>SASL mechanism or login command: PLAIN, SCRAM-SHA-256, LOGIN, USER/PASS, APOP, …</summary>
    public string? Mechanism { get; init; }

    /// <summary>Negotiated TLS version (Tls12, Tls13), or null without TLS.</summary>
    public string? TlsVersion { get; init; }

    /// <summary>Negotiated TLS suite name, or null without TLS.</summary>
    public string? TlsSuite { get; init; }

    /// <summary>The outcome in one word: ok, fail, refused, …; each kind has a default.</summary>
    public virtual string Result => "ok";

    /// <summary>Why, in a short machine-friendly phrase (e.g. <c>bad-credentials</c>, <c>per-ip-limit</c>).</summary>
    public string? Reason { get; init; }
}
