using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>VRFY never says whether an address exists: 252, "cannot verify, but will try".</summary>
/// <remarks>RFC 5321 §4.1.1.6 and §7.3 (servers may refuse to confirm addresses; 252 is the answer that does not
/// enumerate accounts). All modes.</remarks>
internal sealed class VrfyCommand : ISmtpCommand
{
    public ValueTask ExecuteAsync(SmtpSession session, SmtpCommandLine command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Length == 0)
        {
            session.Reply(501, "5.5.4", "Syntax: VRFY address");
        }
        else
        {
            session.Reply(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
        }

        return ValueTask.CompletedTask;
    }
}
