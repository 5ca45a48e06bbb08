namespace Rampart.Security.Credentials;

/// <summary>
/// Why a password check ended as it did. Only <see cref="Success"/> lets the client in; the others get one
/// and the same reply on the wire, and the outcome goes to the audit log.
/// </summary>
public enum PasswordCheckOutcome
{
    /// <summary>The password matches and the account is enabled.</summary>
    Success,

    /// <summary>No account has this name.</summary>
    UnknownUser,

    /// <summary>The account exists and the password does not match.</summary>
    BadPassword,

    /// <summary>The password matches, but the account is disabled.</summary>
    Disabled,

    /// <summary>The account exists but has no password (it logs in another way).</summary>
    NoPassword,

    /// <summary>The secret was right but a policy refused the login: banned client, throttled account, access rule,
    /// or the main password while two factors are on. Same reply as a wrong password.</summary>
    Refused,

    /// <summary>The main password was right but has expired: the protocol answers <c>NO [EXPIRED]</c> / <c>-ERR [AUTH]</c>.</summary>
    Expired,
}
