namespace Rampart.Smtp.Dsn;

/// <summary>The NOTIFY parameter of RCPT (RFC 3461 §4.1): which delivery status notifications the sender wants for
/// this recipient. <see cref="None"/> means the parameter was not given, and the server's default applies (a DSN on
/// failure, RFC 3461 §4.1).</summary>
[Flags]
public enum DsnNotify
{
    /// <summary>NOTIFY not given.</summary>
    None = 0,

    /// <summary>NOTIFY=NEVER: no DSN at all, not even on failure.</summary>
    Never = 1,

    /// <summary>A DSN when the message is delivered (Action: delivered) or relayed to a server without DSN
    /// (Action: relayed).</summary>
    Success = 2,

    /// <summary>A DSN when delivery fails.</summary>
    Failure = 4,

    /// <summary>A DSN when delivery is delayed.</summary>
    Delay = 8,
}
