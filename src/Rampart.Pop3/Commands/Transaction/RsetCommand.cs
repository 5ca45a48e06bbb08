using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>RSET unmarks every message marked deleted in this session.</summary>
/// <remarks>RFC 1939 §5. States: TRANSACTION.</remarks>
internal sealed class RsetCommand : IPop3Command
{
    public async ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken)
    {
        if (command.Argument.Length > 0)
        {
            await session.ErrAsync("RSET takes no arguments", cancellationToken);
            return;
        }

        var maildrop = session.Maildrop!;
        maildrop.Reset();
        await session.OkAsync(FormattableString.Invariant($"Maildrop has {maildrop.Messages.Count} messages"), cancellationToken);
    }
}
