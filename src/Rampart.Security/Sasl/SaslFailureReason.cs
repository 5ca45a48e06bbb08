namespace Rampart.Security.Sasl;

/// <summary>
/// Why an exchange failed. The protocol shows one generic message for all of them (except that
/// <see cref="Malformed"/> is a syntax error: IMAP BAD, SMTP 501); the reason is for the audit log.
/// </summary>
public enum SaslFailureReason
{
    /// <summary>The response broke the mechanism's grammar, or a limit (size, rounds).</summary>
    Malformed,

    /// <summary>No account has the name given.</summary>
    UnknownUser,

    /// <summary>The account exists and the password or proof is wrong.</summary>
    BadCredentials,

    /// <summary>The credentials are right, but the account is disabled.</summary>
    Disabled,

    /// <summary>The account exists but has no credential this mechanism can use.</summary>
    NoCredential,

    /// <summary>The client asked to act as another user (an authorization identity other than its own).</summary>
    AuthzidNotAllowed,

    /// <summary>Channel binding was refused: wrong binding data, a downgrade (RFC 5802 §6), or a binding type the server does not support.</summary>
    ChannelBindingMismatch,

    /// <summary>The credentials were checked but a policy refused the login (ban, throttle, access rule, two factors).</summary>
    Refused,

    /// <summary>The password was right but has expired: IMAP <c>NO [EXPIRED]</c>, POP3 <c>-ERR [AUTH]</c>.</summary>
    Expired,
}
