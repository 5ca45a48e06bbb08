namespace Rampart.Security.Guard;

/// <summary>The end of a <see cref="SaslExchange"/>.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Login">With <see cref="SaslExchangeOutcome.Judged"/>: account security's verdict.</param>
/// <param name="AttemptedUser">With <see cref="SaslExchangeOutcome.Judged"/>: the user name as the client gave it (or
/// the identity's), for the audit of a failure; never a secret.</param>
/// <param name="AccountName">With <see cref="SaslExchangeOutcome.Succeeded"/>: the account the mechanism authenticated.</param>
public readonly record struct SaslExchangeResult(SaslExchangeOutcome Outcome, LoginResult? Login = null, string? AttemptedUser = null, string? AccountName = null);
