using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Any;

/// <summary>NOOP does nothing, which is the moment to report mailbox changes (the session does that after every command).</summary>
/// <remarks>RFC 9051 §6.1.2 (RFC 3501 §6.1.2). States: any.</remarks>
internal static class NoopCommand
{
    public static CommandDefinition Definition { get; } = new("NOOP", SessionState.Any, "RFC 9051 §6.1.2", ExecuteAsync);

    private static Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        command.Arguments.RequireEnd();
        return Task.CompletedTask;
    }
}
