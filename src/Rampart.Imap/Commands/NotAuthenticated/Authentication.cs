using Rampart.Imap.Protocol;
using Rampart.Imap.Session;
using Rampart.Security.Guard;

namespace Rampart.Imap.Commands.NotAuthenticated;

/// <summary>What LOGIN and AUTHENTICATE share: the TLS requirement, the one generic failure, and the per-session
/// failure count (SECURITY.md A01, E01, B01).</summary>
internal static class Authentication
{
    public const string FailureText = "Authentication failed";

    /// <summary>A01: no credential is looked at before TLS.</summary>
    public static void RequireTls(ImapSession session)
    {
        if (!session.Transport.IsTls)
        {
            throw ImapCommandException.No("PRIVACYREQUIRED", "Authentication requires TLS; use STARTTLS first");
        }
    }

    /// <summary>Answers a failed attempt; after <see cref="ImapServerOptions.MaxFailedAuthentications"/> failures
    /// the session says BYE and closes.</summary>
    public static void Fail(ImapSession session, ImapCommand command)
    {
        session.FailedAuthentications++;
        session.Writer.Status(command.Tag, "NO", "AUTHENTICATIONFAILED", FailureText);
        command.Answered = true;
        if (session.FailedAuthentications >= session.Services.Options.MaxFailedAuthentications)
        {
            session.Writer.Untagged("BYE Too many failed authentication attempts");
            session.Close();
        }
    }

    /// <summary>Answers the account-security verdict on a LOGIN or AUTHENTICATE attempt and reports it (L01). True when
    /// the session is now authenticated.</summary>
    /// <remarks><c>attemptedUser</c> is the user name as the client gave it, for the audit of a failure.</remarks>
    public static async Task<bool> ConcludeAsync(ImapSession session, ImapCommand command, LoginResult result, string mechanism, string? attemptedUser)
    {
        var security = session.Security!;
        switch (result.Outcome)
        {
            case LoginOutcome.Success:
                if (!security.TryStartSession(result))
                {
                    security.Failed(result.AccountName, mechanism, "session-limit");
                    session.Writer.Status(command.Tag, "NO", "LIMIT", "Too many sessions");
                    command.Answered = true;
                    return false;
                }

                security.Succeeded(result, mechanism);
                await SucceedAsync(session, command, result.AccountName!);
                return true;
            case LoginOutcome.Expired:
                // The right password for an expired account: the owner is told how to renew (SECURITY.md D-policy).
                security.Failed(result.AccountName ?? attemptedUser, mechanism, "expired");
                session.FailedAuthentications++;
                session.Writer.Status(command.Tag, "NO", "EXPIRED", LoginAuthenticator.ExpiredText);
                command.Answered = true;
                return false;
            case LoginOutcome.Banned:
                security.Failed(attemptedUser, mechanism, ConnectionSecurity.ReasonOf(result));
                Ban(session, command);
                return false;
            default:
                security.Failed(attemptedUser, mechanism, ConnectionSecurity.ReasonOf(result));
                Fail(session, command);
                return false;
        }
    }

    /// <summary>The guard banned the client: say BYE and close (B03).</summary>
    public static void Ban(ImapSession session, ImapCommand command)
    {
        session.Writer.Untagged("BYE Too many failed authentication attempts");
        command.Answered = true;
        session.Close();
    }

    public static async Task SucceedAsync(ImapSession session, ImapCommand command, string accountName)
    {
        await session.LoginAsync(accountName, CancellationToken.None);
        command.OkCode = "CAPABILITY " + Capabilities.For(session);
        command.OkText = "Logged in";
    }
}
