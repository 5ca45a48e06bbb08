using Rampart.Smtp.Protocol;
using Rampart.Store;
using Rampart.Store.Model;

namespace Rampart.Smtp.Delivery;

/// <summary>Finds the account (and the <c>+tag</c> mailbox) an address delivers to.</summary>
/// <remarks>Subaddressing (RFC 5233): <c>user+tag@domain</c> goes to account <c>user@domain</c>, into mailbox
/// <c>tag</c> when the account has one, else INBOX. An address registered with the <c>+</c> in it wins.</remarks>
internal static class RecipientResolver
{
    /// <summary>The account and mailbox for <paramref name="address"/>, or null when no account has it.</summary>
    /// <param name="store">The store.</param>
    /// <param name="address">The recipient.</param>
    /// <param name="allowLoginName">LMTP: also accept the local part as a login name (a local MTA may address
    /// accounts by name); never for mail from the Internet, where it would widen what a sender can probe.</param>
    /// <param name="cancellationToken">Cancels the lookups.</param>
    public static async Task<(Account Account, string? Mailbox)?> ResolveAsync(IMailStore store, SmtpAddress address, bool allowLoginName, CancellationToken cancellationToken)
    {
        if (address.IsAddressLiteral)
        {
            return null;
        }

        var account = await store.FindAccountAsync(address.LocalPart + "@" + address.Domain, cancellationToken);
        if (account is not null)
        {
            return (account, null);
        }

        var plus = address.LocalPart.IndexOf('+', StringComparison.Ordinal);
        var user = plus > 0 ? address.LocalPart[..plus] : address.LocalPart;
        var tag = plus > 0 ? address.LocalPart[(plus + 1)..] : "";
        if (plus > 0)
        {
            account = await store.FindAccountAsync(user + "@" + address.Domain, cancellationToken);
        }

        if (account is null && allowLoginName)
        {
            // The local part has no '@', so it can only match a login name.
            account = await store.FindAccountAsync(user, cancellationToken);
        }

        if (account is null)
        {
            return null;
        }

        if (tag.Length == 0)
        {
            return (account, null);
        }

        await using var mailboxes = await store.OpenAccountAsync(account.Name, cancellationToken);
        var mailbox = await mailboxes.GetMailboxAsync(tag, cancellationToken);
        return (account, mailbox is null || string.Equals(mailbox.Name, "INBOX", StringComparison.OrdinalIgnoreCase) ? null : mailbox.Name);
    }

    /// <summary>The name of the account's mailbox with <paramref name="use"/> (RFC 6154), or <paramref name="fallback"/>.</summary>
    public static async Task<string?> SpecialMailboxAsync(IMailStore store, string account, SpecialUse use, string? fallback, CancellationToken cancellationToken)
    {
        await using var mailboxes = await store.OpenAccountAsync(account, cancellationToken);
        var list = await mailboxes.ListMailboxesAsync(cancellationToken);
        return list.FirstOrDefault(m => (m.SpecialUse & use) != 0)?.Name ?? fallback;
    }
}
