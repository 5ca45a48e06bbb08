using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>APOP is refused: it needs a password-equivalent secret on the server, which Rampart does not keep.</summary>
/// <remarks>RFC 1939 §7. States: AUTHORIZATION. SECURITY.md A09: APOP is off by default, so the greeting carries
/// no timestamp (RFC 1939 §4) and the command is answered <c>-ERR</c> without any check.</remarks>
internal sealed class ApopCommand : IPop3Command
{
    public ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken) =>
        session.ErrAsync("APOP is not enabled on this server", cancellationToken);
}
