using System.Collections.Frozen;
using Rampart.Smtp.Commands;

namespace Rampart.Smtp.Session;

/// <summary>Every SMTP/LMTP command Rampart knows: where it runs, its RFC and its handler, in one place.</summary>
public static class SmtpCommandTable
{
    private const SmtpMode Smtp = SmtpMode.Inbound | SmtpMode.Submission;
    private const SmtpMode All = SmtpMode.Inbound | SmtpMode.Submission | SmtpMode.Lmtp;

    /// <summary>The table, by verb.</summary>
    public static FrozenDictionary<string, SmtpCommandDefinition> Commands { get; } = new SmtpCommandDefinition[]
    {
        new("EHLO", Smtp, "RFC 5321 §4.1.1.1", new EhloCommand()),
        new("HELO", Smtp, "RFC 5321 §4.1.1.1", new HeloCommand()),
        new("LHLO", SmtpMode.Lmtp, "RFC 2033 §4.1", new LhloCommand()),
        new("STARTTLS", Smtp, "RFC 3207 §4", new StartTlsCommand()),
        new("AUTH", SmtpMode.Submission, "RFC 4954 §4", new AuthCommand()),
        new("MAIL", All, "RFC 5321 §4.1.1.2", new MailCommand()),
        new("RCPT", All, "RFC 5321 §4.1.1.3", new RcptCommand()),
        new("DATA", All, "RFC 5321 §4.1.1.4", new DataCommand()),
        new("BDAT", All, "RFC 3030 §2", new BdatCommand()),
        new("RSET", All, "RFC 5321 §4.1.1.5", new RsetCommand()),
        new("NOOP", All, "RFC 5321 §4.1.1.9", new NoopCommand()),
        new("QUIT", All, "RFC 5321 §4.1.1.10", new QuitCommand()),
        new("VRFY", All, "RFC 5321 §4.1.1.6", new VrfyCommand()),
        new("HELP", All, "RFC 5321 §4.1.1.8", new HelpCommand()),
    }.ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);
}
