using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>NAMESPACE: one personal namespace with <c>/</c> as separator, no others.</summary>
/// <remarks>RFC 9051 §6.3.10, RFC 2342. States: Authenticated, Selected.</remarks>
internal static class NamespaceCommand
{
    public static CommandDefinition Definition { get; } = new("NAMESPACE", SessionState.LoggedIn, "RFC 9051 §6.3.10", ExecuteAsync);

    private static Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        command.Arguments.RequireEnd();
        session.Writer.Untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
        return Task.CompletedTask;
    }
}
