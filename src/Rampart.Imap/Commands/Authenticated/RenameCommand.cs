using Rampart.Imap.Protocol;
using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>RENAME renames a mailbox and its children; renaming INBOX moves its messages (RFC 9051 §6.3.6).</summary>
/// <remarks>RFC 9051 §6.3.6 (RFC 3501 §6.3.5). States: Authenticated, Selected.</remarks>
internal static class RenameCommand
{
    public static CommandDefinition Definition { get; } = new("RENAME", SessionState.LoggedIn, "RFC 9051 §6.3.6", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        var args = command.Arguments;
        args.Space();
        var from = args.Mailbox(session.Utf8Names);
        args.Space();
        var to = args.Mailbox(session.Utf8Names);
        args.RequireEnd();
        MailboxName.Validate(to);
        await session.RequireAccount().RenameMailboxAsync(from, to);
    }
}
