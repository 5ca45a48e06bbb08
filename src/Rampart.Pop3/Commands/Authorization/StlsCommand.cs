using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>STLS upgrades a plaintext connection to TLS; whatever the client pipelined after it is discarded.</summary>
/// <remarks>RFC 2595 §4; SECURITY.md S01–S05. States: AUTHORIZATION (before login: after it, STLS is refused
/// by the command table).</remarks>
internal sealed class StlsCommand : IPop3Command
{
    public async ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken)
    {
        if (command.Argument.Length > 0)
        {
            await session.ErrAsync("STLS takes no arguments", cancellationToken);
            return;
        }

        if (session.Transport.IsTls)
        {
            await session.ErrAsync("TLS is already active", cancellationToken);
            return;
        }

        if (!session.Transport.CanStartTls)
        {
            await session.ErrAsync("STLS is not available on this port", cancellationToken);
            return;
        }

        await session.StartTlsAsync(cancellationToken);
    }
}
