using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>NOOP does nothing but answer (and so resets the autologout timer).</summary>
/// <remarks>RFC 1939 §5. States: TRANSACTION.</remarks>
internal sealed class NoopCommand : IPop3Command
{
    public ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken) =>
        command.Argument.Length > 0
            ? session.ErrAsync("NOOP takes no arguments", cancellationToken)
            : session.OkAsync("", cancellationToken);
}
