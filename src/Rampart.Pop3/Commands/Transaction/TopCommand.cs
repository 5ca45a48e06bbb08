using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>TOP sends a message's header, the empty line after it, and the first N lines of its body.</summary>
/// <remarks>RFC 1939 §7. States: TRANSACTION. TOP is not a download: it sets no \Seen and does not count for the
/// delete-after-download policy.</remarks>
internal sealed class TopCommand : IPop3Command
{
    public async ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken)
    {
        var arguments = command.Arguments;
        if (arguments.Count != 2)
        {
            await session.ErrAsync("TOP takes a message number and a line count", cancellationToken);
            return;
        }

        if (!MessageNumber.TryParseNonNegative(arguments[1], out var lines))
        {
            await session.ErrAsync("Invalid line count", cancellationToken);
            return;
        }

        if (await MessageArgument.FindAsync(session, arguments[0], cancellationToken) is not { } message)
        {
            return;
        }

        await MessageSender.SendAsync(session, message, lines, "Top of message follows", cancellationToken);
    }
}
