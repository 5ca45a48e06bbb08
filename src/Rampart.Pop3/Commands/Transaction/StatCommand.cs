using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>STAT gives the number of messages not marked deleted and their total size.</summary>
/// <remarks>RFC 1939 §5. States: TRANSACTION. Sizes are those RETR sends (see <see cref="MessageEncoder"/>).</remarks>
internal sealed class StatCommand : IPop3Command
{
    public async ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken)
    {
        if (command.Argument.Length > 0)
        {
            await session.ErrAsync("STAT takes no arguments", cancellationToken);
            return;
        }

        var maildrop = session.Maildrop!;
        var count = 0;
        long total = 0;
        foreach (var message in maildrop.Live)
        {
            count++;
            total += await maildrop.WireSizeAsync(message, cancellationToken);
        }

        await session.OkAsync(FormattableString.Invariant($"{count} {total}"), cancellationToken);
    }
}
