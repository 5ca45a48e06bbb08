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

    /// <summary>Largest literal held in memory for a command other than APPEND (whose message literal is
    /// streamed). Default 64 KiB: a long SEARCH string or a mailbox name never needs more.</summary>
    public int MaxInlineLiteral { get; set; } = 64 * 1024;
}
