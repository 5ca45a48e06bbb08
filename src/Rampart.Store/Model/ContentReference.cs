namespace Rampart.Store.Model;

/// <summary>
/// An opaque reference to a message's stored bytes, carried in a <see cref="MessageSummary"/> so that a session can
/// open the message again without looking it up (<see cref="IAccountStore.OpenMessageAsync(long, MessageSummary, CancellationToken)"/>;
/// POP3 RETR of a whole maildrop would otherwise cost a query per message).
/// </summary>
/// <remarks>
/// Only a backend makes one, for the summaries it returns to one account's handle, and a backend honours only its own
/// kind made for the same account: a caller cannot name bytes by an id or hash of its choosing, nor carry a reference
/// to another account to read that account's mail (SECURITY.md: one account never reads another's data).
/// </remarks>
public abstract record ContentReference;
