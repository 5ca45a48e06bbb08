using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Delivery;

/// <summary>The one place a <see cref="DataError"/> becomes a reply.</summary>
internal static class DataErrorReply
{
    /// <summary>Replies to a message refused for <paramref name="error"/>: <paramref name="replies"/> times, because
    /// LMTP answers the end of data once per accepted recipient (RFC 2033 §4.2) and a client waits for each; the
    /// limit is reported once.</summary>
    public static void Send(SmtpSession session, DataError error, int replies = 1)
    {
        for (var i = 0; i < Math.Max(1, replies); i++)
        {
            Reply(session, error, report: i == 0);
        }
    }

    private static void Reply(SmtpSession session, DataError error, bool report)
    {
        switch (error)
        {
            case DataError.TooBig:
                // RFC 1870 §6.
                if (report)
                {
                    session.LimitHit(session.Account?.Name, "message-size");
                }

                session.Reply(552, "5.3.4", "Message size exceeds fixed maximum message size");
                break;
            case DataError.BareLineFeed:
                // RFC 5321 §2.3.8: refused, never stored (SMTP smuggling).
                session.Reply(550, "5.6.0", "Message contains a bare LF; lines must end with CRLF");
                break;
            case DataError.BareCarriageReturn:
                session.Reply(550, "5.6.0", "Message contains a bare CR; lines must end with CRLF");
                break;
            case DataError.LineTooLong:
                // RFC 5321 §4.5.3.1.6.
                if (report)
                {
                    session.LimitHit(session.Account?.Name, "data-line-length");
                }

                session.Reply(550, "5.6.0", $"Message has a line longer than {session.Services.Options.MaxDataLineLength} octets");
                break;
        }
    }
}
