using Rampart.Smtp.Session;

namespace Rampart.Smtp.Delivery;

/// <summary>
/// The quota check at RCPT (inbound and submission, not LMTP): an account that has no room left for even one more
/// message is refused before the message is sent, so the sender does not transfer it for nothing. The final check is
/// the store's, per recipient at the end of DATA (<see cref="MessageAcceptance"/>); this one only spares the transfer.
/// </summary>
/// <remarks>RFC 5321 §4.2.2 (452/552), RFC 3463 §3.3 (X.2.2 mailbox full). LMTP checks only after DATA (RFC 2033
/// §4.2): its per-recipient replies already say it, and a check per RCPT would cost every delivery a usage sum.</remarks>
internal static class QuotaGate
{
    /// <summary>Whether <paramref name="account"/> is full (its usage is at a limit already); when so, the reply is written.</summary>
    public static async Task<bool> RefusesAsync(SmtpSession session, string account, CancellationToken cancellationToken)
    {
        var store = await session.Services.Store.OpenAccountAsync(account, cancellationToken);
        await using (store.ConfigureAwait(false))
        {
            var usage = await store.GetQuotaAsync(cancellationToken);
            var full = (usage.StorageLimit is { } storage && usage.StorageUsed >= storage)
                || (usage.MessageLimit is { } messages && usage.MessagesUsed >= messages);
            if (!full)
            {
                return false;
            }
        }

        var (code, enhanced, text) = MessageAcceptance.OverQuotaReply(session.Services.Options.OverQuotaTemporary);
        session.Reply(code, enhanced, text);
        return true;
    }
}
