namespace Rampart.Pop3;

/// <summary>POP3 settings, bound from the configuration section <c>Pop3</c>.</summary>
public sealed class Pop3Options
{
    /// <summary>Default <see cref="MaxCommandLength"/>: 255 octets, RFC 2449 §4.</summary>
    public const int DefaultMaxCommandLength = 255;

    /// <summary>
    /// Longest command line, CRLF excluded. Default 255: RFC 2449 §4 sets 255 octets for a command with its
    /// arguments. AUTH lines and SASL responses are exempt (RFC 5034 §4 lifts the limit for them); they are
    /// bounded by the SASL response limit instead. The connection's line limit (64 KiB) still caps everything,
    /// so an overlong line is answered <c>-ERR</c> without being buffered whole.
    /// </summary>
    public int MaxCommandLength { get; set; } = DefaultMaxCommandLength;

    /// <summary>
    /// Idle time allowed after login. Default 10 minutes: RFC 1939 §3 requires an autologout timer of at least
    /// 10 minutes. Before login the connection's shorter pre-authentication timeout applies.
    /// </summary>
    public TimeSpan AuthenticatedIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Failed authentication attempts before the connection is closed. Default 3 (SECURITY.md "brute force").</summary>
    public int MaxAuthenticationFailures { get; set; } = 3;

    /// <summary>
    /// Consecutive <c>-ERR</c> replies to unknown or malformed commands before the connection is closed.
    /// Default 20: a confused client gets many chances; a flood of garbage (or another protocol spoken at the
    /// port) does not keep a session busy.
    /// </summary>
    public int MaxConsecutiveErrors { get; set; } = 20;

    /// <summary>What happens to mail after a client has downloaded it.</summary>
    public Pop3RetentionOptions Retention { get; set; } = new();
}
