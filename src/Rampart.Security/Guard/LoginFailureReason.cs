namespace Rampart.Security.Guard;

/// <summary>Why a login failed, for the audit log only: on the wire every one of these is the same generic reply (E01).</summary>
public enum LoginFailureReason
{
    /// <summary>Not a failure.</summary>
    None,

    /// <summary>No account has the name.</summary>
    UnknownUser,

    /// <summary>Neither the password nor an app password matched.</summary>
    BadPassword,

    /// <summary>The secret matched, but the account is disabled.</summary>
    Disabled,

    /// <summary>The account has no password.</summary>
    NoPassword,

    /// <summary>The client is banned.</summary>
    Banned,

    /// <summary>The account is under attack and the login came from an unknown network with the main password (B04).</summary>
    AccountThrottled,

    /// <summary>The account's access rules refuse this address (I02).</summary>
    AccessDenied,

    /// <summary>Two factors are on and the main password was used on IMAP, POP3 or SMTP (F01).</summary>
    SecondFactorRequired,

    /// <summary>The password was right but has expired (P03).</summary>
    Expired,
}
