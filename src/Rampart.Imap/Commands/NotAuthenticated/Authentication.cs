using Rampart.Imap.Protocol;
using Rampart.Imap.Session;

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

    public static async Task SucceedAsync(ImapSession session, ImapCommand command, string accountName)
    {
        await session.LoginAsync(accountName, CancellationToken.None);
        command.OkCode = "CAPABILITY " + Capabilities.For(session);
        command.OkText = "Logged in";
    }
}
