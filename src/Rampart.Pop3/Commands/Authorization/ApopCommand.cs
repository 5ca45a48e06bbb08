using Rampart.Pop3.Accounts;
using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;
using Rampart.Security.Credentials;
using Rampart.Security.Sasl;

namespace Rampart.Pop3.Commands;

/// <summary>APOP logs in with <c>name digest</c>, the digest being MD5 over the greeting's timestamp and the account's
/// password-equivalent secret.</summary>
/// <remarks>
/// RFC 1939 §7. States: AUTHORIZATION, TLS only (before STLS it is refused like USER, SECURITY.md S04). Off unless the
/// admin turned legacy mechanisms on (<c>Security:LegacyMechanisms</c>): then the greeting carries a fresh timestamp
/// and an account may log in with APOP only once opted in (<c>rampart user legacy enable NAME --mechanism apop</c>).
/// Unknown user, an account without APOP, and a wrong digest all get the one generic <c>-ERR [AUTH]</c> (SECURITY.md
/// E01). The attempt goes through the same guard as USER/PASS (delay, ban, counters, audit with mechanism APOP).
/// </remarks>
internal sealed class ApopCommand : IPop3Command
{
    /// <summary>The digest is 16 octets of MD5 in lower-case hex (RFC 1939 §7).</summary>
    public const int DigestLength = 32;

    /// <summary>The mechanism name in the guard's counters and the audit log.</summary>
    public const string Mechanism = "APOP";

    public async ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken)
    {
        if (session.Services.Apop is not { } verifier || session.ApopTimestamp is not { } timestamp)
        {
            // No timestamp was sent, so there is nothing a digest could be checked against.
            await session.ErrAsync("APOP is not enabled on this server", cancellationToken);
            return;
        }

        var arguments = command.Arguments;
        if (arguments.Count != 2 || arguments[0].Length > UserCommand.MaxUserNameLength || arguments[1].Length != DigestLength || !IsHex(arguments[1]))
        {
            await session.ErrAsync("APOP needs a name and a 32-digit hex digest", cancellationToken);
            return;
        }

        var user = arguments[0];
        var security = session.Security;
        if (security is not null && (await security.Verifier.BeginAsync(Mechanism, cancellationToken)).IsBanned)
        {
            security.Failed(user, Mechanism, "banned");
            session.CloseRequested = true;
            await session.AuthenticationFailedAsync(cancellationToken);
            return;
        }

        var check = await verifier.VerifyAsync(user, arguments[1], timestamp, cancellationToken);
        // An account holding the secret for CRAM-MD5 only is not an APOP account: same failure as a wrong digest.
        if (check.Succeeded && !await HasApopAsync(session, check.AccountName!, cancellationToken))
        {
            check = new PasswordCheck(PasswordCheckOutcome.NoPassword, check.AccountName);
        }

        if (security is not null)
        {
            var step = check.Succeeded
                ? SaslStep.Success(new SaslIdentity(check.AccountName!, Mechanism), attemptedUser: user)
                : SaslStep.Failure(ReasonOf(check.Outcome), user);
            // Counts the failure in the guard; a success still passes the throttle, access rules, two factors, expiry.
            var result = await security.Verifier.CompleteAsync(Mechanism, step, cancellationToken);
            await session.ConcludeAsync(result, Mechanism, user, cancellationToken);
            return;
        }

        if (!check.Succeeded)
        {
            await session.AuthenticationFailedAsync(cancellationToken);
            return;
        }

        await session.LoginAsync(check.AccountName!, Mechanism, cancellationToken);
    }

    private static async Task<bool> HasApopAsync(Pop3Session session, string accountName, CancellationToken cancellationToken) =>
        await session.Services.Store.FindAccountAsync(accountName, cancellationToken) is { } account
        && (await Pop3AccountSettings.ReadAsync(session.Services.Store, account.Id, cancellationToken)).Apop;

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static SaslFailureReason ReasonOf(PasswordCheckOutcome outcome) => outcome switch
    {
        PasswordCheckOutcome.UnknownUser => SaslFailureReason.UnknownUser,
        PasswordCheckOutcome.Disabled => SaslFailureReason.Disabled,
        PasswordCheckOutcome.NoPassword => SaslFailureReason.NoCredential,
        _ => SaslFailureReason.BadCredentials,
    };
}
