using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>UNSUBSCRIBE removes a name from the subscription list; the name need not exist.</summary>
/// <remarks>RFC 9051 §6.3.8 (RFC 3501 §6.3.7). States: Authenticated, Selected.</remarks>
internal static class UnsubscribeCommand
{
    public static CommandDefinition Definition { get; } = new("UNSUBSCRIBE", SessionState.LoggedIn, "RFC 9051 §6.3.8", (s, c) => SubscribeCommand.ExecuteAsync(s, c, false));
}
