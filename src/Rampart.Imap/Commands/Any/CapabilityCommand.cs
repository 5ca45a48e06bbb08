using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Any;

/// <summary>CAPABILITY lists what the server supports in the session's current state.</summary>
/// <remarks>RFC 9051 §6.1.1 (RFC 3501 §6.1.1). States: any.</remarks>
internal static class CapabilityCommand
{
    public static CommandDefinition Definition { get; } = new("CAPABILITY", SessionState.Any, "RFC 9051 §6.1.1", ExecuteAsync);

    private static Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        command.Arguments.RequireEnd();
        session.Writer.Untagged("CAPABILITY " + Capabilities.For(session));
        return Task.CompletedTask;
    }
}
