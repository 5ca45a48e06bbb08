using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>HELP lists the commands this session knows.</summary>
/// <remarks>RFC 5321 §4.1.1.8 (214 reply). All modes.</remarks>
internal sealed class HelpCommand : ISmtpCommand
{
    public ValueTask ExecuteAsync(SmtpSession session, SmtpCommandLine command, CancellationToken cancellationToken)
    {
        var verbs = SmtpCommandTable.Commands.Values.Where(c => (c.Modes & session.Mode) != 0).Select(c => c.Name).Order(StringComparer.Ordinal);
        session.Reply(214, "2.0.0", "Commands: " + string.Join(' ', verbs));
        return ValueTask.CompletedTask;
    }
}
