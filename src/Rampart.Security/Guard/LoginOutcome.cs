namespace Rampart.Security.Guard;

/// <summary>What the protocol tells the client after a password login.</summary>
public enum LoginOutcome
{
    /// <summary>Logged in.</summary>
    Success,

    /// <summary>The one generic failure reply, whatever the reason (E01).</summary>
    Failed,

    /// <summary>The password was right but has expired: IMAP <c>NO [EXPIRED]</c>, POP3 <c>-ERR [AUTH]</c>, with
    /// <see cref="LoginAuthenticator.ExpiredText"/>.</summary>
    Expired,

    /// <summary>The client is banned: close the connection without a reply.</summary>
    Banned,
}
