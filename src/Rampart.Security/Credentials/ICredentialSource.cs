namespace Rampart.Security.Credentials;

/// <summary>
/// Where authentication looks an account up. The server implements it over the store's per-account secret;
/// Rampart.Security never talks to the store itself.
/// </summary>
public interface ICredentialSource
{
    /// <summary>
    /// Finds the account <paramref name="userName"/> names (the login name as the client sent it; the
    /// implementation decides how names and aliases match, and should match case-insensitively), or null when
    /// there is none. Must not throw for names that do not exist, whatever they contain.
    /// </summary>
    ValueTask<CredentialLookup?> FindAsync(string userName, CancellationToken cancellationToken);
}
