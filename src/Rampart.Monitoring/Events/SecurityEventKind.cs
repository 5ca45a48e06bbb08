namespace Rampart.Monitoring.Events;

/// <summary>The kinds of <see cref="SecurityEvent"/>; <see cref="SecurityEventKinds.Name"/> gives the stable name
/// written in the audit log (<c>auth.failure</c>, …), which operators' scripts match on.</summary>
public enum SecurityEventKind
{
    ConnectionAccepted,
    ConnectionRefused,
    ConnectionClosed,
    TlsHandshakeFailed,
    StartTlsInjection,
    AuthenticationSucceeded,
    AuthenticationFailed,
    Banned,
    Unbanned,
    Throttled,
    LockedOut,
    LimitHit,
    CredentialChanged,
    AdminAction,
    ConfigurationChanged,
    ClientIdentified,
    DataTransferred,
    AlertRaised,
}

/// <summary>Names and audit policy of each <see cref="SecurityEventKind"/>.</summary>
public static class SecurityEventKinds
{
    /// <summary>The stable name written in the audit log.</summary>
    public static string Name(SecurityEventKind kind) => kind switch
    {
        SecurityEventKind.ConnectionAccepted => "connection.accepted",
        SecurityEventKind.ConnectionRefused => "connection.refused",
        SecurityEventKind.ConnectionClosed => "connection.closed",
        SecurityEventKind.TlsHandshakeFailed => "tls.failure",
        SecurityEventKind.StartTlsInjection => "starttls.injection",
        SecurityEventKind.AuthenticationSucceeded => "auth.success",
        SecurityEventKind.AuthenticationFailed => "auth.failure",
        SecurityEventKind.Banned => "ban",
        SecurityEventKind.Unbanned => "unban",
        SecurityEventKind.Throttled => "throttle",
        SecurityEventKind.LockedOut => "lockout",
        SecurityEventKind.LimitHit => "limit",
        SecurityEventKind.CredentialChanged => "credential.change",
        SecurityEventKind.AdminAction => "admin",
        SecurityEventKind.ConfigurationChanged => "config.change",
        SecurityEventKind.ClientIdentified => "client.id",
        SecurityEventKind.DataTransferred => "transfer",
        SecurityEventKind.AlertRaised => "alert",
        _ => "unknown",
    };

    /// <summary>Whether the kind is written to the audit log. <see cref="SecurityEventKind.DataTransferred"/> is not:
    /// protocols raise it for every large response so the bandwidth detector and metrics see it, and one line each
    /// would bury the log; the totals are on <see cref="SecurityEventKind.ConnectionClosed"/>.</summary>
    public static bool IsAudited(SecurityEventKind kind) => kind != SecurityEventKind.DataTransferred;
}
