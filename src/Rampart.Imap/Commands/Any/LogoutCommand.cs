using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Any;

/// <summary>LOGOUT ends the session: untagged BYE, then the tagged OK, then the connection closes.</summary>
/// <remarks>RFC 9051 §6.1.3 (RFC 3501 §6.1.3). States: any.</remarks>
internal static class LogoutCommand
{
    public static CommandDefinition Definition { get; } = new("LOGOUT", SessionState.Any, "RFC 9051 §6.1.3", ExecuteAsync);

    private static Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        command.Arguments.RequireEnd();
        session.Writer.Untagged("BYE Logging out");
        session.Writer.Status(command.Tag, "OK", null, "LOGOUT completed");
        command.Answered = true;
        session.Close();
        return Task.CompletedTask;
    }
}
