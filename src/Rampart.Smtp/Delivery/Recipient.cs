using Rampart.Smtp.Protocol;

namespace Rampart.Smtp.Delivery;

/// <summary>An accepted recipient: a local account (and mailbox), or a remote address for the outbound queue.</summary>
/// <param name="Address">The forward path as the client gave it.</param>
/// <param name="Account">The local account's name; null for a remote recipient.</param>
/// <param name="Mailbox">The mailbox <c>user+tag</c> chose (RFC 5233 subaddress); null for INBOX.</param>
public sealed record Recipient(SmtpAddress Address, string? Account, string? Mailbox)
{
    /// <summary>Whether the message goes to the outbound queue.</summary>
    public bool IsRemote => Account is null;
}
