using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>EHLO greets the server and asks for its extensions; it also ends any open transaction.</summary>
/// <remarks>RFC 5321 §4.1.1.1 and §4.1.4 (EHLO resets the state). Modes: inbound, submission.</remarks>
internal sealed class EhloCommand : ISmtpCommand
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
