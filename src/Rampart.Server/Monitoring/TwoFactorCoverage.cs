namespace Rampart.Server.Monitoring;

/// <summary>Which accounts have a second factor, for the self-check's <c>accounts.2fa</c> line (issue 7: "accounts
/// without 2FA").</summary>
/// <param name="Accounts">How many enabled accounts there are.</param>
/// <param name="Without">The enabled accounts without a second factor, by name.</param>
public sealed record TwoFactorCoverage(int Accounts, IReadOnlyList<string> Without);
