namespace Rampart.Smtp;

/// <summary>SMTP, submission and LMTP settings, bound from the configuration section <c>Smtp</c>.</summary>
public sealed class SmtpOptions
{
    /// <summary>
    /// Largest message accepted, in octets (advertised as <c>SIZE</c>, RFC 1870). Default 50 MB (SECURITY.md
    /// "limits"): larger mail belongs in a file share. Checked against <c>MAIL FROM … SIZE=</c> and again while
    /// the message streams in (552 5.3.4); nothing over it is stored.
    /// </summary>
    public long MaxMessageSize { get; set; } = 50L * 1000 * 1000;

    /// <summary>
    /// Recipients accepted for one message. Default 100: the minimum RFC 5321 §4.5.3.1.8 asks a server to accept;
    /// more get 452 4.5.3, and the client sends them in another transaction.
    /// </summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>
    /// Longest command line, CRLF excluded. Default 2048: RFC 5321 §4.5.3.1.4 gives 512 octets, and every ESMTP
    /// parameter may add to it (RFC 1869 §4.1.2); AUTH lines with an initial response are bounded by the SASL
    /// response limit instead (RFC 4954 §4).
    /// </summary>
    public int MaxCommandLength { get; set; } = 2048;

    /// <summary>
    /// Longest text line inside DATA, CRLF included. Default 1000: RFC 5321 §4.5.3.1.6. A longer line fails the
    /// message (500 5.5.6), because a relay would have to break it and change the message. BDAT with
    /// <c>BODY=BINARYMIME</c> has no lines and no such limit.
    /// </summary>
    public int MaxDataLineLength { get; set; } = 1000;

    /// <summary>
    /// Rejected commands (syntax, sequence, unknown, refused recipients) before the session is closed with
    /// 421 4.7.0. Default 20: a confused client has room; a dictionary attack on recipients or garbage spoken at
    /// the port does not keep a session busy.
    /// </summary>
    public int MaxErrors { get; set; } = 20;

    /// <summary>Failed AUTH attempts before the connection is closed. Default 3 (SECURITY.md "brute force").</summary>
    public int MaxAuthenticationFailures { get; set; } = 3;

    /// <summary>
    /// Longest wait for the client's next command or data. Default 5 minutes: RFC 5321 §4.5.3.2.7 asks a server
    /// to wait at least that long for the next command.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Messages one account may submit per rolling hour. Default 200: enough for a person, low enough that a
    /// stolen password does not turn the server into a spam cannon. Over it, MAIL gets 450 4.7.0.
    /// </summary>
    public int MaxMessagesPerHour { get; set; } = 200;

    /// <summary>
    /// Whether submission stores a copy in the account's Sent mailbox. Default false: mail clients append to Sent
    /// themselves, and two copies would appear.
    /// </summary>
    public bool SaveToSent { get; set; }

    /// <summary>
    /// Whether a recipient over its quota gets a temporary reply (452 4.2.2) instead of the permanent one (552 5.2.2,
    /// RFC 3463 §3.3 "Mailbox full"). Default false: the sender learns at once, which is what RFC 3463 and most servers
    /// do by default; set true to have senders retry while the user makes room (their queue then bounces after days).
    /// </summary>
    public bool OverQuotaTemporary { get; set; }

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is zero, negative or absurd.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageSize, 1024, nameof(MaxMessageSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRecipients, 1, nameof(MaxRecipients));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCommandLength, 512, nameof(MaxCommandLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDataLineLength, 1000, nameof(MaxDataLineLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxErrors, 1, nameof(MaxErrors));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAuthenticationFailures, 1, nameof(MaxAuthenticationFailures));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessagesPerHour, 1, nameof(MaxMessagesPerHour));
        ArgumentOutOfRangeException.ThrowIfLessThan(IdleTimeout, TimeSpan.FromSeconds(1), nameof(IdleTimeout));
    }
}
