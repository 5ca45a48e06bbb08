using System.Net;
using Rampart.Security.Credentials;

namespace Rampart.Security.Guard;

/// <summary>
/// <see cref="LoginAuthenticator"/> bound to one connection, as the <see cref="IPasswordVerifier"/> that PLAIN and
/// LOGIN call through <see cref="Sasl.SaslContext.PasswordVerifier"/>. After a check, <see cref="LastResult"/> holds the
/// full result: the protocol reads the audit reason, the credential kind and the revocation token from it.
/// </summary>
public sealed class ConnectionPasswordVerifier : IPasswordVerifier
{
    private readonly LoginAuthenticator _authenticator;

    internal ConnectionPasswordVerifier(LoginAuthenticator authenticator, IPAddress client, string protocol)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(protocol);
        _authenticator = authenticator;
        Client = client;
        Protocol = protocol;
    }

    /// <summary>The connection's client.</summary>
    public IPAddress Client { get; }

    /// <summary>The connection's protocol.</summary>
    public string Protocol { get; }

    /// <summary>The result of the latest check on this connection, or null.</summary>
    public LoginResult? LastResult { get; private set; }

    /// <inheritdoc/>
    public async ValueTask<PasswordCheck> CheckAsync(string userName, string password, string mechanism, CancellationToken cancellationToken)
    {
        var result = await _authenticator.CheckAsync(new LoginRequest(Client, userName, password, Protocol, mechanism), cancellationToken).ConfigureAwait(false);
        LastResult = result;
        var outcome = result.Outcome switch
        {
            LoginOutcome.Success => PasswordCheckOutcome.Success,
            LoginOutcome.Expired => PasswordCheckOutcome.Expired,
            _ => result.Reason switch
            {
                // The SASL layer keeps the finer reasons for its own audit; on the wire they are all one failure.
                LoginFailureReason.UnknownUser => PasswordCheckOutcome.UnknownUser,
                LoginFailureReason.BadPassword => PasswordCheckOutcome.BadPassword,
                LoginFailureReason.Disabled => PasswordCheckOutcome.Disabled,
                LoginFailureReason.NoPassword => PasswordCheckOutcome.NoPassword,
                _ => PasswordCheckOutcome.Refused,
            },
        };
        return new PasswordCheck(outcome, result.AccountName) { Kind = result.Kind };
    }
}
