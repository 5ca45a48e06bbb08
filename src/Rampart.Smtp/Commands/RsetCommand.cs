using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>RSET abandons the current transaction (and any spooled BDAT chunks); the greeting stays.</summary>
/// <remarks>RFC 5321 §4.1.1.5. All modes.</remarks>
internal sealed class RsetCommand : ISmtpCommand
{
    public async ValueTask ExecuteAsync(SmtpSession session, SmtpCommandLine command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Length > 0)
        {
            session.Reply(501, "5.5.4", "RSET takes no arguments");
            return;
        }

        await session.EndTransactionAsync();
        session.Reply(250, "2.0.0", "OK");
    }
}
