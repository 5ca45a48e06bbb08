using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>LIST gives the size of one message, or of every message not marked deleted.</summary>
/// <remarks>RFC 1939 §5. States: TRANSACTION.</remarks>
internal sealed class ListCommand : IPop3Command
{
    public async ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken)
    {
        var maildrop = session.Maildrop!;
        var arguments = command.Arguments;
        if (arguments.Count > 1)
        {
            await session.ErrAsync("LIST takes at most one message number", cancellationToken);
            return;
        }

        if (arguments.Count == 1)
        {
            if (await MessageArgument.FindAsync(session, arguments[0], cancellationToken) is { } one)
            {
                var size = await maildrop.WireSizeAsync(one, cancellationToken);
                await session.OkAsync(FormattableString.Invariant($"{one.Number} {size}"), cancellationToken);
            }

            return;
        }

        // Sizes first: a store error must surface before the +OK line, while -ERR is still possible.
        var lines = new List<string>();
        long total = 0;
        foreach (var message in maildrop.Live)
        {
            var size = await maildrop.WireSizeAsync(message, cancellationToken);
            total += size;
            lines.Add(FormattableString.Invariant($"{message.Number} {size}"));
        }

        session.BeginMultiLine(FormattableString.Invariant($"{lines.Count} messages ({total} octets)"));
        foreach (var line in lines)
        {
            session.WriteDataLine(line);
        }

        await session.EndMultiLineAsync(cancellationToken);
    }
}
