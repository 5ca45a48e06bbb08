using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.NotAuthenticated;

/// <summary>LOGIN checks a user name and password through the connection's account security (or the shared <see cref="Rampart.Security.Credentials.PasswordAuthenticator"/> without it).</summary>
/// <remarks>RFC 9051 §6.2.3 (RFC 3501 §6.2.3). States: NotAuthenticated. TLS required (LOGINDISABLED before it).</remarks>
internal static class LoginCommand
{
    public static CommandDefinition Definition { get; } = new("LOGIN", SessionState.NotAuthenticated, "RFC 9051 §6.2.3", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        // A01: refuse before parsing the credentials, so that nothing about them is looked at in plaintext.
        Authentication.RequireTls(session);
        var args = command.Arguments;
        args.Space();
        var user = args.Astring();
        args.Space();
        var password = args.Astring();
        args.RequireEnd();
        if (user.Length == 0 || password.Length == 0)
        {
            session.Security?.Failed(user, "LOGIN", "malformed");
            Authentication.Fail(session, command);
            return;
        }

        if (session.Security is { } security)
        {
            // The full check: guard delay and bans, app passwords, two-factor rule, access rules, expiry.
            await security.Verifier.CheckAsync(user, password, "LOGIN", CancellationToken.None);
            await Authentication.ConcludeAsync(session, command, security.Verifier.LastResult!, "LOGIN", user);
            return;
        }

        var check = await session.Services.Passwords.CheckAsync(user, password, CancellationToken.None);
        if (!check.Succeeded || check.AccountName is null)
        {
            Authentication.Fail(session, command);
            return;
        }

        await Authentication.SucceedAsync(session, command, check.AccountName);
    }
}
