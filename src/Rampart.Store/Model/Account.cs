namespace Rampart.Store.Model;

/// <summary>A mail account: its login name, the addresses that deliver to it, and whether it may log in.</summary>
/// <param name="Id">Backend-assigned identifier, stable for the account's life.</param>
/// <param name="Name">Login name, unique, compared case-insensitively (ASCII).</param>
/// <param name="Addresses">Addresses and aliases (lower-cased) whose mail is delivered to this account.</param>
/// <param name="Enabled">A disabled account cannot log in and receives no mail.</param>
/// <param name="Created">When the account was created (UTC).</param>
public sealed record Account(long Id, string Name, IReadOnlyList<string> Addresses, bool Enabled, DateTimeOffset Created);
