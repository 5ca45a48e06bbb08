using Rampart.Smtp.Session;

namespace Rampart.Smtp.Delivery;

/// <summary>
/// The quota check at RCPT: an account that has no room left for even one more message, or not for the size MAIL
/// declared, is refused before the message is sent, so the sender does not transfer it for nothing. The final check is
/// the store's, per recipient at the end of DATA (<see cref="MessageAcceptance"/>); this one only spares the transfer.
/// </summary>
/// <remarks>RFC 5321 §4.2.2 (452/552), RFC 3463 §3.3 (X.2.2 mailbox full), RFC 1870 §6.3 (per-recipient rejection on
/// the declared size: 552 when the recipient cannot take it, 452 when it may later, here as
/// <see cref="SmtpOptions.OverQuotaTemporary"/> says). Inbound and submission check at every RCPT; LMTP only when MAIL
/// declared a size: otherwise its per-recipient replies after DATA (RFC 2033 §4.2) already say it, and a check per RCPT
/// would cost every delivery a usage sum.</remarks>
internal static class QuotaGate
{
    /// <summary>Whether <paramref name="account"/> is full (its usage is at a limit already), or has less room than
    /// <paramref name="declaredSize"/> octets when MAIL declared one; when so, the reply is written.</summary>
    public static async Task<bool> RefusesAsync(SmtpSession session, string account, long? declaredSize, CancellationToken cancellationToken)
    {
        var store = await session.Services.Store.OpenAccountAsync(account, cancellationToken);
        await using (store.ConfigureAwait(false))
        {
            var usage = await store.GetQuotaAsync(cancellationToken);
            // The stored copy gains trace fields on top of the declared size; the store's final check counts those.
            var incoming = declaredSize ?? 0;
            var full = (usage.StorageLimit is { } storage && (usage.StorageUsed >= storage || incoming > storage - usage.StorageUsed))
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
