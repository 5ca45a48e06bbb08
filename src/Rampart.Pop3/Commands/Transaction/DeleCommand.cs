using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>DELE marks a message deleted; the store removes it only at QUIT (the UPDATE state).</summary>
/// <remarks>RFC 1939 §5. States: TRANSACTION.</remarks>
internal sealed class DeleCommand : IPop3Command
{
    public async ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken)
    {
        var arguments = command.Arguments;
        if (arguments.Count != 1)
        {
            await session.ErrAsync("DELE takes one message number", cancellationToken);
            return;
        }

        if (await MessageArgument.FindAsync(session, arguments[0], cancellationToken) is { } message)
        {
            message.Deleted = true;
            await session.OkAsync(FormattableString.Invariant($"Message {message.Number} deleted"), cancellationToken);
        }
    }
}
