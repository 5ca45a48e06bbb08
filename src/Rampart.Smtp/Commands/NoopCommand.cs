using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>NOOP does nothing and says OK; its argument, if any, is ignored.</summary>
/// <remarks>RFC 5321 §4.1.1.9. All modes.</remarks>
internal sealed class NoopCommand : ISmtpCommand
{
    public ValueTask ExecuteAsync(SmtpSession session, SmtpCommandLine command, CancellationToken cancellationToken)
    {
        session.Reply(250, "2.0.0", "OK");
        return ValueTask.CompletedTask;
    }
}
