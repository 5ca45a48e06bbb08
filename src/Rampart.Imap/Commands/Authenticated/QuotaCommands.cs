using Rampart.Imap.Protocol;
using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>GETQUOTA and GETQUOTAROOT: one quota root, "", covering the whole account, with STORAGE (KiB) and
/// MESSAGE resources when the account has limits.</summary>
/// <remarks>RFC 9208 §4.2, §4.3. States: Authenticated, Selected.</remarks>
internal static class QuotaCommands
{
    public static CommandDefinition GetQuota { get; } = new("GETQUOTA", SessionState.LoggedIn, "RFC 9208 §4.2", GetQuotaAsync);

    public static CommandDefinition GetQuotaRoot { get; } = new("GETQUOTAROOT", SessionState.LoggedIn, "RFC 9208 §4.3", GetQuotaRootAsync);

    private static async Task GetQuotaAsync(ImapSession session, ImapCommand command)
    {
        var args = command.Arguments;
        args.Space();
        var root = args.Astring();
        args.RequireEnd();
        if (root.Length != 0)
        {
            throw ImapCommandException.No("NONEXISTENT", "No such quota root");
        }

        await WriteQuotaAsync(session);
    }

    private static async Task GetQuotaRootAsync(ImapSession session, ImapCommand command)
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
        await WriteQuotaAsync(session);
    }

    private static async Task WriteQuotaAsync(ImapSession session)
    {
        var usage = await session.RequireAccount().GetQuotaAsync();
        if (usage.StorageLimit is null && usage.MessageLimit is null)
        {
            throw ImapCommandException.No("NONEXISTENT", "No quota applies to this account");
        }

        var resources = new List<string>();
        if (usage.StorageLimit is { } storage)
        {
            resources.Add(FormattableString.Invariant($"STORAGE {(usage.StorageUsed + 1023) / 1024} {storage / 1024}"));
        }

        if (usage.MessageLimit is { } messages)
        {
            resources.Add(FormattableString.Invariant($"MESSAGE {usage.MessagesUsed} {messages}"));
        }

        session.Writer.Untagged("QUOTA \"\" (" + string.Join(' ', resources) + ")");
    }
}
