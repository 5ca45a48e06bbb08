using Rampart.Imap.Protocol;
using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>GETQUOTA: the one quota root, "", covering the whole account, with STORAGE (KiB) and MESSAGE resources
/// when the account has limits.</summary>
/// <remarks>RFC 9208 §4.2. States: Authenticated, Selected.</remarks>
internal static class GetQuotaCommand
{
    public static CommandDefinition Definition { get; } = new("GETQUOTA", SessionState.LoggedIn, "RFC 9208 §4.2", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
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

    /// <summary>Writes <c>* QUOTA "" (…)</c> for the account (shared with GETQUOTAROOT).</summary>
    internal static async Task WriteQuotaAsync(ImapSession session)
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
