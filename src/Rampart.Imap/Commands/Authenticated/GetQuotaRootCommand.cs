using Rampart.Imap.Protocol;
using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>GETQUOTAROOT: the quota roots of a mailbox — "" when the account has limits, none otherwise — and their QUOTA.</summary>
/// <remarks>RFC 9208 §4.3. States: Authenticated, Selected.</remarks>
internal static class GetQuotaRootCommand
{
    public static CommandDefinition Definition { get; } = new("GETQUOTAROOT", SessionState.LoggedIn, "RFC 9208 §4.3", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        var args = command.Arguments;
        args.Space();
        var name = args.Mailbox(session.Utf8Names);
        args.RequireEnd();
        _ = await session.RequireAccount().GetMailboxAsync(name) ?? throw ImapCommandException.No("NONEXISTENT", "No such mailbox");
        var usage = await session.RequireAccount().GetQuotaAsync();
        session.Writer.Raw("* QUOTAROOT "u8).Mailbox(name, session.Utf8Names);
        // RFC 9208 §5.2: a mailbox under no limit has no quota root.
        if (usage.StorageLimit is null && usage.MessageLimit is null)
        {
            session.Writer.Line();
            return;
        }

        session.Writer.Raw(" \"\""u8).Line();
        await GetQuotaCommand.WriteQuotaAsync(session);
    }
}
