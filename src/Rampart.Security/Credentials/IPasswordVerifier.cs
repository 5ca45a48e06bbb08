namespace Rampart.Security.Credentials;

/// <summary>A connection-bound password check used by the password mechanisms (PLAIN, LOGIN) and the protocols' own
/// password commands (IMAP LOGIN, POP3 USER/PASS). <see cref="Guard.LoginAuthenticator.ForConnection"/> makes one.</summary>
public interface IPasswordVerifier
{
    /// <summary>Checks <paramref name="password"/> for <paramref name="userName"/> via <paramref name="mechanism"/>.</summary>
    ValueTask<PasswordCheck> CheckAsync(string userName, string password, string mechanism, CancellationToken cancellationToken);
}
