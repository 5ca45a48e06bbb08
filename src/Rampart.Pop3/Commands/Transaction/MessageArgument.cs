using Rampart.Pop3.Maildrop;
using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>The message-number argument shared by LIST, RETR, DELE, TOP and UIDL (RFC 1939 §5).</summary>
internal static class MessageArgument
{
    /// <summary>Finds the message <paramref name="text"/> names, or answers -ERR and returns null: a bad number and
    /// a number of no message (or one marked deleted, RFC 1939 §5) get different reasons.</summary>
    public static async ValueTask<MaildropMessage?> FindAsync(Pop3Session session, string text, CancellationToken cancellationToken)
    {
        if (!MessageNumber.TryParse(text, out var number))
        {
            await session.ErrAsync("Invalid message number", cancellationToken);
            return null;
        }

        var maildrop = session.Maildrop!;
        if (maildrop.Find(number) is { } message)
        {
            return message;
        }

        await session.ErrAsync(
            number <= maildrop.Messages.Count ? $"Message {number} is deleted" : $"No message {number}",
            cancellationToken);
        return null;
    }
}
