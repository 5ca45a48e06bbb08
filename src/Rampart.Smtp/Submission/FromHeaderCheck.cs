using MimeKit;
using Rampart.Store.Model;

namespace Rampart.Smtp.Submission;

/// <summary>Checks that every address in a submitted message's From field belongs to the account that sent it.</summary>
/// <remarks>RFC 6409 §6.1 lets the submission server check the sender against the authenticated identity; without
/// it a logged-in account could put anyone's name in From, and DKIM would sign the forgery. Only the header block is
/// parsed (streamed; MimeKit's header parser stops at the blank line).</remarks>
public static class FromHeaderCheck
{
    /// <summary>True when the From field exists once and each of its mailboxes is an address of <paramref name="account"/>.</summary>
    /// <param name="message">The message, positioned at its start.</param>
    /// <param name="account">The authenticated account.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<bool> BelongsToAsync(Stream message, Account account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        HeaderList headers;
        try
        {
            headers = await HeaderList.LoadAsync(ParserOptions.Default, message, cancellationToken);
        }
        catch (FormatException)
        {
            return false;
        }

        var from = headers.Where(h => h.Id == HeaderId.From).ToList();
        if (from.Count != 1 || !InternetAddressList.TryParse(from[0].RawValue, out var list))
        {
            return false;
        }

        var mailboxes = list.ToList();
        return mailboxes.Count > 0 && mailboxes.All(a =>
            a is MailboxAddress mailbox && account.Addresses.Contains(mailbox.Address, StringComparer.OrdinalIgnoreCase));
    }
}
