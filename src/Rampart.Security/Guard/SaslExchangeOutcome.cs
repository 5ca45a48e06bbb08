namespace Rampart.Security.Guard;

/// <summary>How a <see cref="SaslExchange"/> ended; the protocol turns it into its own reply.</summary>
public enum SaslExchangeOutcome
{
    /// <summary>The guard has banned the client before anything was exchanged (audited "banned"): answer the
    /// failure and close (SECURITY.md B03).</summary>
    Banned,

    /// <summary>The client closed the connection inside the exchange; nothing to answer.</summary>
    Closed,

    /// <summary>The client answered <c>*</c> (RFC 4422 §3.5): the protocol's "cancelled" reply; not a failed guess.</summary>
    Cancelled,

    /// <summary>A response line the reader refused (too long, NUL, bare LF) or that is not base64.</summary>
    InvalidResponse,

    /// <summary>The client answered the last challenge (additional data with success, RFC 4422 §3.6) with something
    /// other than an empty response.</summary>
    UnexpectedFinalResponse,

    /// <summary>The mechanism found the exchange malformed (audited "malformed" when the connection has account
    /// security); it counts as a failure.</summary>
    Malformed,

    /// <summary>The mechanism refused the credentials, on a connection without account security: the generic failure.</summary>
    Failed,

    /// <summary>The exchange is over and account security has judged it: answer <see cref="SaslExchangeResult.Login"/>
    /// with the protocol's verdict reply (success, session limit, expiry, ban or the generic failure).</summary>
    Judged,

    /// <summary>The mechanism accepted the credentials, on a connection without account security: log in
    /// <see cref="SaslExchangeResult.AccountName"/>.</summary>
    Succeeded,
}
