using Rampart.Imap.Protocol;
using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>DELETE removes a mailbox and its messages; INBOX and mailboxes with children are refused.</summary>
/// <remarks>RFC 9051 §6.3.5 (RFC 3501 §6.3.4). States: Authenticated, Selected.</remarks>
internal static class DeleteCommand
{
    public static CommandDefinition Definition { get; } = new("DELETE", SessionState.LoggedIn, "RFC 9051 §6.3.5", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        var args = command.Arguments;
        args.Space();
        var name = args.Mailbox(session.Utf8Names);
        args.RequireEnd();
        if (string.Equals(name, "INBOX", StringComparison.Ordinal))
        {
            throw ImapCommandException.No("CANNOT", "INBOX cannot be deleted");
        }

        await session.RequireAccount().DeleteMailboxAsync(name);
        if (session.Selected is { } view && string.Equals(view.Name, name, StringComparison.Ordinal))
        {
            session.Deselect();
        }
    }
}
