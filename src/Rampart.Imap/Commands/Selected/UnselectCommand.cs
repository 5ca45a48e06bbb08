using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Selected;

/// <summary>UNSELECT leaves the Selected state without expunging.</summary>
/// <remarks>RFC 9051 §6.4.2 (RFC 3691). States: Selected.</remarks>
internal static class UnselectCommand
{
    public static CommandDefinition Definition { get; } = new("UNSELECT", SessionState.Selected, "RFC 9051 §6.4.2", (s, c) => CloseCommand.ExecuteAsync(s, c, expunge: false));
}
