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
