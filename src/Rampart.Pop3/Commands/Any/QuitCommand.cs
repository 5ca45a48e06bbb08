using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;
using Rampart.Store;

namespace Rampart.Pop3.Commands;

/// <summary>QUIT ends the session; in the TRANSACTION state it first enters UPDATE and removes the messages
/// marked deleted (and those the retention policy removes).</summary>
/// <remarks>RFC 1939 §6 (UPDATE) and §5. States: AUTHORIZATION, TRANSACTION.</remarks>
internal sealed class QuitCommand : IPop3Command
{
    public async ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken)
    {
        if (session.State != Pop3State.Transaction)
        {
            session.CloseRequested = true;
            await session.OkAsync($"{session.Services.HostName} Rampart POP3 server signing off", cancellationToken);
            return;
        }

        int removed;
        try
        {
            removed = await session.EnterUpdateAsync(cancellationToken);
        }
        catch (StoreException)
        {
            // RFC 1939 §6: -ERR when some deleted messages could not be removed.
            await session.ErrAsync("Some deleted messages were not removed", cancellationToken, ResponseCode.SysTemp);
            return;
        }

        await session.OkAsync($"{session.Services.HostName} Rampart POP3 server signing off ({removed} messages deleted)", cancellationToken);
    }
}
