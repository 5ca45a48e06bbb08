using Rampart.Imap.Protocol;
using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>SUBSCRIBE adds a mailbox to the subscription list.</summary>
/// <remarks>RFC 9051 §6.3.7 (RFC 3501 §6.3.6). States: Authenticated, Selected.</remarks>
internal static class SubscribeCommand
{
    public static CommandDefinition Definition { get; } = new("SUBSCRIBE", SessionState.LoggedIn, "RFC 9051 §6.3.7", (s, c) => ExecuteAsync(s, c, true));

    /// <summary>Parses <c>SP mailbox</c> and sets or clears the subscription (shared with UNSUBSCRIBE).</summary>
    internal static async Task ExecuteAsync(ImapSession session, ImapCommand command, bool subscribe)
    {
        var args = command.Arguments;
        args.Space();
        var name = args.Mailbox(session.Utf8Names);
        args.RequireEnd();
        MailboxName.Validate(name);
        await session.RequireAccount().SetSubscribedAsync(name, subscribe);
    }
}
