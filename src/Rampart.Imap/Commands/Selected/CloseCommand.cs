using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Selected;

/// <summary>CLOSE expunges \Deleted messages silently (unless read-only) and leaves the Selected state.</summary>
/// <remarks>RFC 9051 §6.4.1 (RFC 3501 §6.4.2). States: Selected.</remarks>
internal static class CloseCommand
{
    public static CommandDefinition Definition { get; } = new("CLOSE", SessionState.Selected, "RFC 9051 §6.4.1", (s, c) => ExecuteAsync(s, c, expunge: true));

    /// <summary>Leaves the Selected state, expunging first when asked (shared with UNSELECT).</summary>
    internal static async Task ExecuteAsync(ImapSession session, ImapCommand command, bool expunge)
    {
        command.Arguments.RequireEnd();
        var view = session.RequireSelected();
        if (expunge && !view.ReadOnly && !view.Deleted)
        {
            await session.RequireAccount().ExpungeAsync(view.MailboxId);
        }

        session.Deselect();
    }
}
