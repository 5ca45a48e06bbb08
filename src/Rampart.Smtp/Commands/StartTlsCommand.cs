using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>STARTTLS upgrades a plaintext connection to TLS; whatever the client pipelined after it is discarded.</summary>
/// <remarks>RFC 3207 §4 (no arguments; 454 when TLS is not available), §4.2 (state reset after the handshake);
/// SECURITY.md S01–S05. Modes: inbound, submission, before AUTH.</remarks>
internal sealed class StartTlsCommand : ISmtpCommand
{
    public async ValueTask ExecuteAsync(SmtpSession session, SmtpCommandLine command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Length > 0)
        {
            session.Reply(501, "5.5.4", "STARTTLS takes no arguments");
        }
        else if (session.Connection.IsTls)
        {
            session.Reply(503, "5.5.1", "TLS is already active");
        }
        else if (!session.CanStartTls)
        {
            session.Reply(454, "4.7.0", "TLS not available");
        }
        else
        {
            await session.StartTlsAsync(cancellationToken);
        }
    }
}
