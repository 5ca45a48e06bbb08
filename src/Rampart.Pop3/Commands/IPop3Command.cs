using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>A POP3 command handler. The session has checked state, TLS and line length before calling it.</summary>
public interface IPop3Command
{
    /// <summary>Runs the command and writes its whole reply.</summary>
    ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken);
}
