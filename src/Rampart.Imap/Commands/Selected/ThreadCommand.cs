using Rampart.Imap.Protocol;
using Rampart.Imap.Rendering;
using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Selected;

/// <summary>THREAD groups the messages a search finds by ORDEREDSUBJECT or REFERENCES.</summary>
/// <remarks>RFC 5256 §4. States: Selected.</remarks>
internal static class ThreadCommand
{
    public static CommandDefinition Definition { get; } = new("THREAD", SessionState.Selected, "RFC 5256 §4", ExecuteAsync, DefersExpunge: true);

    public static CommandDefinition UidDefinition { get; } = new("UID THREAD", SessionState.Selected, "RFC 5256 §4", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        var args = command.Arguments;
        var view = session.RequireSelected();
        args.Space();
        var algorithm = args.Atom().ToUpperInvariant();
        if (algorithm is not ("ORDEREDSUBJECT" or "REFERENCES"))
        {
            throw ImapCommandException.Syntax("Unknown threading algorithm");
        }

        args.Space();
        var items = await SortCommand.ItemsAsync(session, view, args, command.IsUid);
        var roots = algorithm == "REFERENCES" ? MessageThreader.References(items) : MessageThreader.OrderedSubject(items);
        session.Writer.Raw("* THREAD"u8);
        if (roots.Count > 0)
        {
            session.Writer.Space();
        }

        ThreadWriter.Write(session.Writer.Output, roots, command.IsUid);
        session.Writer.Line();
    }
}
