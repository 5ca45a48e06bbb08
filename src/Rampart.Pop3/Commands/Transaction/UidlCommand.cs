using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>UIDL gives the unique id of one message, or of every message not marked deleted.</summary>
/// <remarks>RFC 1939 §7. States: TRANSACTION. The id is <c>UIDVALIDITY.UID</c> (see <see cref="Maildrop.MaildropMessage.UniqueId"/>).</remarks>
internal sealed class UidlCommand : IPop3Command
{
    public async ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken)
    {
        var arguments = command.Arguments;
        if (arguments.Count > 1)
        {
            await session.ErrAsync("UIDL takes at most one message number", cancellationToken);
            return;
        }

        if (arguments.Count == 1)
        {
            if (await MessageArgument.FindAsync(session, arguments[0], cancellationToken) is { } one)
            {
                await session.OkAsync(FormattableString.Invariant($"{one.Number} {one.UniqueId}"), cancellationToken);
            }

            return;
        }

        session.BeginMultiLine("Unique-ID listing follows");
        foreach (var message in session.Maildrop!.Live)
        {
            session.WriteDataLine(FormattableString.Invariant($"{message.Number} {message.UniqueId}"));
        }

        await session.EndMultiLineAsync(cancellationToken);
    }
}
