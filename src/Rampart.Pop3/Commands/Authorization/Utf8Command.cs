using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>UTF8 turns on UTF-8 mode: user names and passwords may be UTF-8 and messages are sent unchanged.</summary>
/// <remarks>RFC 6856 §2. States: AUTHORIZATION. Rampart never downgrades messages and always reads USER and
/// PASS as UTF-8, so the command only records that the client asked.</remarks>
internal sealed class Utf8Command : IPop3Command
{
    public async ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken)
    {
        if (command.Argument.Length > 0)
        {
            await session.ErrAsync("UTF8 takes no arguments", cancellationToken);
            return;
        }

        session.Utf8Enabled = true;
        await session.OkAsync("UTF8 enabled", cancellationToken);
    }
}
