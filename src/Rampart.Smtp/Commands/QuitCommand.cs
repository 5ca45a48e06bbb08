using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>QUIT says goodbye and closes; an unfinished transaction is dropped.</summary>
/// <remarks>RFC 5321 §4.1.1.10. All modes.</remarks>
internal sealed class QuitCommand : ISmtpCommand
{
    public ValueTask ExecuteAsync(SmtpSession session, SmtpCommandLine command, CancellationToken cancellationToken)
    {
        session.CloseRequested = true;
        session.Reply(221, "2.0.0", $"{session.Services.HostName} closing connection");
        return ValueTask.CompletedTask;
    }
}
