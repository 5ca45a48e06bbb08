namespace Rampart.Smtp.Dsn;

/// <summary>The DSN parameters of one RCPT (RFC 3461 §4.1, §4.2).</summary>
/// <param name="Notify">NOTIFY; <see cref="DsnNotify.None"/> when not given.</param>
/// <param name="OriginalRecipientType">The address type of ORCPT (e.g. <c>rfc822</c>); null when not given.</param>
/// <param name="OriginalRecipient">The ORCPT address, xtext-decoded; null when not given.</param>
public sealed record RecipientDsn(DsnNotify Notify, string? OriginalRecipientType, string? OriginalRecipient);
