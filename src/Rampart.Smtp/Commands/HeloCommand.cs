using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>HELO greets the server without extensions (the original SMTP: no extensions, no enhanced status codes).</summary>
/// <remarks>RFC 5321 §4.1.1.1. Modes: inbound, submission (submission needs AUTH, which needs EHLO).</remarks>
internal sealed class HeloCommand : ISmtpCommand
{
    public async ValueTask ExecuteAsync(SmtpSession session, SmtpCommandLine command, CancellationToken cancellationToken)
    {
        if (!Greeting.TryReadName(session, command, out var name))
        {
            return;
        }

        await session.EndTransactionAsync();
        session.HeloName = name;
        session.Extended = false;
        session.Reply(250, null, $"{session.Services.HostName} Hello {name}");
    }
}
