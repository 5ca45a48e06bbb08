using Rampart.Net.Options;

namespace Rampart.Imap;

/// <summary>Settings of the IMAP server that are not the connection layer's.</summary>
public sealed class ImapServerOptions
{
    /// <summary>The host name shown in the greeting. Default "localhost".</summary>
    public string HostName { get; set; } = "localhost";

    /// <summary>Line and literal limits, shared with the connection layer.</summary>
    public ConnectionLimitOptions Limits { get; set; } = new();

    /// <summary>Idle time allowed once logged in. Default 30 min, the minimum RFC 9051 §5.4 allows for an
    /// autologout timer (a client in IDLE re-issues it within that).</summary>
    public TimeSpan AuthenticatedIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Failed authentications allowed in one session before BYE. Default 3 (SECURITY.md "brute force").</summary>
    public int MaxFailedAuthentications { get; set; } = 3;

    /// <summary>Offer COMPRESS=DEFLATE (RFC 4978) after login. Default false (SECURITY.md "COMPRESS"): one deflate
    /// context carries both the user's secrets and text an attacker can inject (a message the attacker sent), so the
    /// size of the compressed stream can leak the secrets (the CRIME class of attacks); <c>rampart security audit</c>
    /// warns when it is on. Configuration key <c>Imap:Compress</c>.</summary>
    public bool Compress { get; set; }

    /// <summary>Advertise LITERAL- instead of LITERAL+ (RFC 7888 §5): non-synchronizing literals of at most
    /// <see cref="Session.ImapSession.LiteralMinusLimit"/> octets in every state, larger ones refused with
    /// <c>BAD [TOOBIG]</c> (the connection is then closed, since the client is already sending the bytes). Default
    /// false: LITERAL+, with the pre-authentication literal limit of 4 KiB and the message limit after login.
    /// Configuration key <c>Imap:LiteralMinus</c>.</summary>
    public bool LiteralMinus { get; set; }

    /// <summary>Largest literal held in memory for a command other than APPEND (whose message literal is
    /// streamed). Default 64 KiB: a long SEARCH string or a mailbox name never needs more.</summary>
    public int MaxInlineLiteral { get; set; } = 64 * 1024;
}
