using Rampart.Imap.Protocol;
using Rampart.Imap.Session;
using Rampart.Store.Model;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>CREATE makes a mailbox (and missing parents), with CREATE-SPECIAL-USE's USE parameter.</summary>
/// <remarks>RFC 9051 §6.3.4 (RFC 3501 §6.3.3), RFC 6154 §3. States: Authenticated, Selected.</remarks>
internal static class CreateCommand
{
    public static CommandDefinition Definition { get; } = new("CREATE", SessionState.LoggedIn, "RFC 9051 §6.3.4", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        var args = command.Arguments;
        args.Space();
        var name = args.Mailbox(session.Utf8Names);
        var use = SpecialUse.None;
        if (args.TrySpace())
        {
            args.List(() =>
            {
                if (!args.TryKeyword("USE"u8))
                {
                    throw ImapCommandException.Syntax("Unknown CREATE parameter");
                }

                args.Space();
                args.List(() => use |= SpecialUses.Parse(args.Flag()));
            });
        }

        args.RequireEnd();
        MailboxName.Validate(name);
        if (string.Equals(name, "INBOX", StringComparison.Ordinal))
        {
            throw ImapCommandException.No("ALREADYEXISTS", "INBOX always exists");
        }

        await session.RequireAccount().CreateMailboxAsync(name, use);
    }
}

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

/// <summary>SUBSCRIBE adds a mailbox to the subscription list.</summary>
/// <remarks>RFC 9051 §6.3.7 (RFC 3501 §6.3.6). States: Authenticated, Selected.</remarks>
internal static class SubscribeCommand
{
    public static CommandDefinition Definition { get; } = new("SUBSCRIBE", SessionState.LoggedIn, "RFC 9051 §6.3.7", (s, c) => ExecuteAsync(s, c, true));

    public static CommandDefinition UnsubscribeDefinition { get; } = new("UNSUBSCRIBE", SessionState.LoggedIn, "RFC 9051 §6.3.8", (s, c) => ExecuteAsync(s, c, false));

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command, bool subscribe)
    {
        var args = command.Arguments;
        args.Space();
        var name = args.Mailbox(session.Utf8Names);
        args.RequireEnd();
        MailboxName.Validate(name);
        await session.RequireAccount().SetSubscribedAsync(name, subscribe);
    }
}

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

/// <summary>Special-use attribute names (RFC 6154 §2).</summary>
internal static class SpecialUses
{
    private static readonly (SpecialUse Use, string Name)[] Names =
    [
        (SpecialUse.All, "\\All"), (SpecialUse.Archive, "\\Archive"), (SpecialUse.Drafts, "\\Drafts"), (SpecialUse.Flagged, "\\Flagged"),
        (SpecialUse.Junk, "\\Junk"), (SpecialUse.Sent, "\\Sent"), (SpecialUse.Trash, "\\Trash"),
    ];

    public static SpecialUse Parse(string name)
    {
        foreach (var (use, text) in Names)
        {
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase))
            {
                return use;
            }
        }

        throw ImapCommandException.No("USEATTR", "Unsupported special-use attribute " + name);
    }

    public static IEnumerable<string> Format(SpecialUse use) => Names.Where(n => (use & n.Use) != 0).Select(n => n.Name);
}
