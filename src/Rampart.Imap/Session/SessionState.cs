namespace Rampart.Imap.Session;

/// <summary>The connection states of RFC 9051 §3, as flags so that a command can name every state it runs in.</summary>
[Flags]
internal enum SessionState
{
    None = 0,
    NotAuthenticated = 1,
    Authenticated = 2,
    Selected = 4,
    Logout = 8,

    /// <summary>Authenticated or Selected.</summary>
    LoggedIn = Authenticated | Selected,

    /// <summary>Any state before LOGOUT.</summary>
    Any = NotAuthenticated | Authenticated | Selected,
}
