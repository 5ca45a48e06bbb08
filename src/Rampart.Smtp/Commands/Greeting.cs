using System.Globalization;
using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>What EHLO, HELO and LHLO share: the client-name check and the extension list.</summary>
internal static class Greeting
{
    /// <summary>Checks the client's name: a domain or address literal (RFC 5321 §4.1.1.1). Names with underscores
    /// that real hosts send are let through; nothing outside letters, digits and <c>.-_[]:</c> is, so the name is
    /// safe to write into a Received field.</summary>
    public static bool TryReadName(SmtpSession session, SmtpCommandLine command, out string name)
    {
        name = command.Arguments.Trim();
        if (name.Length == 0 || name.Contains(' ', StringComparison.Ordinal))
        {
            session.Reply(501, "5.5.4", $"Syntax: {command.Verb} hostname");
            return false;
        }

        if (SmtpAddress.TryParseDomain(name, out var domain, out _) && domain!.All(c => c < 0x7f))
        {
            name = domain!;
            return true;
        }

        if (name.Length <= SmtpAddress.MaxDomainLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            return true;
        }

        session.Reply(501, "5.5.4", "Invalid host name");
        return false;
    }

    /// <summary>Writes the 250 reply of EHLO/LHLO with the extensions this session offers now.</summary>
    public static void WriteExtensions(SmtpSession session, string clientName)
    {
        var lines = new List<string>
        {
            "PIPELINING",
            "SIZE " + session.Services.Options.MaxMessageSize.ToString(CultureInfo.InvariantCulture),
            "8BITMIME",
            "SMTPUTF8",
            "ENHANCEDSTATUSCODES",
            "CHUNKING",
            "BINARYMIME",
        };
        if (session.Mode != SmtpMode.Lmtp)
        {
            // RFC 3461 §4: MAIL RET/ENVID and RCPT NOTIFY/ORCPT; the outbound queue honours them.
            lines.Add("DSN");
        }

        if (session.CanStartTls && session.Mode != SmtpMode.Lmtp)
        {
            lines.Add("STARTTLS");
        }

        if (session.Mode == SmtpMode.Submission && session.Account is null && session.Connection.IsTls)
        {
            // RFC 4954 §4 and SECURITY.md S04: mechanisms appear only once TLS protects the credentials.
            var names = session.Services.Mechanisms.GetOfferedNames(session.SaslContext);
            if (names.Count > 0)
            {
                lines.Add("AUTH " + string.Join(' ', names));
            }
        }

        lines.Add("HELP");
        session.ReplyLine(250, null, $"{session.Services.HostName} Hello {clientName}", last: false);
        for (var i = 0; i < lines.Count; i++)
        {
            session.ReplyLine(250, null, lines[i], last: i == lines.Count - 1);
        }
    }
}
