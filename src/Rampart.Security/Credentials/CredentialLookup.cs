namespace Rampart.Security.Credentials;

/// <summary>What <see cref="ICredentialSource.FindAsync"/> returns for an account that exists.</summary>
/// <param name="AccountName">The account's canonical name: the identity a successful login gets, whatever alias or case was typed.</param>
/// <param name="Enabled">False for a disabled account: its logins fail, with the same reply as a wrong password.</param>
/// <param name="Password">The account's password credential, or null when it has none (password logins then fail like an unknown user).</param>
public sealed record CredentialLookup(string AccountName, bool Enabled, PasswordCredential? Password);
