namespace Rampart.Smtp;

/// <summary>What a session is for: it decides the greeting command, which recipients are taken and whether AUTH is offered.</summary>
[Flags]
public enum SmtpMode
{
    /// <summary>Inbound SMTP on port 25 (RFC 5321): mail for hosted domains only, no AUTH, never a relay.</summary>
    Inbound = 1,

    /// <summary>Message submission on 465/587 (RFC 6409, RFC 8314): AUTH first, then local or remote recipients.</summary>
    Submission = 2,

    /// <summary>LMTP (RFC 2033) from a local MTA: LHLO, a reply per recipient after DATA.</summary>
    Lmtp = 4,
}
