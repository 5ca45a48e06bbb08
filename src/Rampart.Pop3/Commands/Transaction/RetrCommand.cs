using System.Globalization;
using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>RETR sends a whole message, CRLF line ends and byte-stuffed.</summary>
/// <remarks>RFC 1939 §5. States: TRANSACTION. The size in the +OK line is the one LIST gives.</remarks>
internal sealed class RetrCommand : IPop3Command
{
    public async ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken)
    {
        var arguments = command.Arguments;
        if (arguments.Count != 1)
        {
            await session.ErrAsync("RETR takes one message number", cancellationToken);
            return;
        }

        if (await MessageArgument.FindAsync(session, arguments[0], cancellationToken) is not { } message)
        {
            return;
        }

        var size = await session.Maildrop!.WireSizeAsync(message, cancellationToken);
        await MessageSender.SendAsync(session, message, null, string.Create(CultureInfo.InvariantCulture, $"{size} octets"), cancellationToken);
        message.Retrieved = true;
    }
}
