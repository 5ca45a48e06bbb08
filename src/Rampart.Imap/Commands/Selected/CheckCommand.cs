using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Selected;

/// <summary>CHECK: a checkpoint. Every change is durable when it is acknowledged, so there is nothing to do (RFC 3501 only; a NOOP in rev2).</summary>
/// <remarks>RFC 3501 §6.4.1 (removed in RFC 9051, Appendix E). States: Selected.</remarks>
internal static class CheckCommand
{
    public static CommandDefinition Definition { get; } = new("CHECK", SessionState.Selected, "RFC 3501 §6.4.1", ExecuteAsync);

    private static Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        command.Arguments.RequireEnd();
        return Task.CompletedTask;
    }
}
