using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>LHLO is LMTP's EHLO: it greets and lists the extensions.</summary>
/// <remarks>RFC 2033 §4.1 (HELO and EHLO are not LMTP commands). Mode: LMTP.</remarks>
internal sealed class LhloCommand : ISmtpCommand
{
    public async ValueTask ExecuteAsync(SmtpSession session, SmtpCommandLine command, CancellationToken cancellationToken)
    {
        if (!Greeting.TryReadName(session, command, out var name))
        {
            return;
        }

        await session.EndTransactionAsync();
        session.HeloName = name;
        session.Extended = true;
        Greeting.WriteExtensions(session, name);
    }
}
