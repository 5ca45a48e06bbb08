using Rampart.Imap.Commands.Any;
using Rampart.Imap.Commands.Authenticated;
using Rampart.Imap.Commands.NotAuthenticated;
using Rampart.Imap.Commands.Selected;

namespace Rampart.Imap.Session;

/// <summary>Every command the server knows, with its states and RFC: the one table the session dispatches on
/// and the meta-test walks (STYLE.md).</summary>
internal static class CommandTable
{
    public static IReadOnlyList<CommandDefinition> All { get; } =
    [
        CapabilityCommand.Definition,
        NoopCommand.Definition,
        LogoutCommand.Definition,
        IdCommand.Definition,
        StartTlsCommand.Definition,
        LoginCommand.Definition,
        AuthenticateCommand.Definition,
        EnableCommand.Definition,
        SelectCommand.Definition,
        SelectCommand.ExamineDefinition,
        CreateCommand.Definition,
        DeleteCommand.Definition,
        RenameCommand.Definition,
        SubscribeCommand.Definition,
        UnsubscribeCommand.Definition,
        ListCommand.Definition,
        ListCommand.LsubDefinition,
        NamespaceCommand.Definition,
        StatusCommand.Definition,
        AppendCommand.Definition,
        IdleCommand.Definition,
        GetQuotaCommand.Definition,
        GetQuotaRootCommand.Definition,
        SetQuotaCommand.Definition,
        CompressCommand.Definition,
        CheckCommand.Definition,
        CloseCommand.Definition,
        UnselectCommand.Definition,
        ExpungeCommand.Definition,
        ExpungeCommand.UidDefinition,
        SearchCommand.Definition,
        SearchCommand.UidDefinition,
        FetchCommand.Definition,
        FetchCommand.UidDefinition,
        StoreCommand.Definition,
        StoreCommand.UidDefinition,
        CopyCommand.Definition,
        CopyCommand.UidDefinition,
        CopyCommand.MoveDefinition,
        CopyCommand.UidMoveDefinition,
        SortCommand.Definition,
        SortCommand.UidDefinition,
        ThreadCommand.Definition,
        ThreadCommand.UidDefinition,
    ];

    private static readonly Dictionary<string, CommandDefinition> ByName = All.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static CommandDefinition? Find(string name) => ByName.GetValueOrDefault(name);
}
