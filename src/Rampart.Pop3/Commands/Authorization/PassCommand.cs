using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>PASS checks the password for the name USER gave and, when right, opens the maildrop.</summary>
/// <remarks>RFC 1939 §7. States: AUTHORIZATION, TLS only. The argument is the rest of the line, spaces
/// included (RFC 1939 §7 allows that). Unknown user, wrong password and disabled account give byte-identical
/// replies after the same Argon2id work (SECURITY.md E01/E02).</remarks>
internal sealed class PassCommand : IPop3Command
{
    public async ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken)
    {
        if (session.PendingUser is not { } user)
        {
            await session.ErrAsync("Send USER first", cancellationToken);
            return;
        }

        if (command.Argument.Length == 0)
        {
            session.PendingUser = null;
            await session.ErrAsync("PASS needs a password", cancellationToken);
            return;
        }

        if (session.Security is { } security)
        {
            // The full check: guard delay and bans, app passwords, two-factor rule, access rules, expiry.
            await security.Verifier.CheckAsync(user, command.Argument, "USER", cancellationToken);
            await session.ConcludeAsync(security.Verifier.LastResult!, "USER", user, cancellationToken);
            return;
        }

        var check = await session.Services.Passwords.CheckAsync(user, command.Argument, cancellationToken);
        if (!check.Succeeded)
        {
            await session.AuthenticationFailedAsync(cancellationToken);
            return;
        }

        await session.LoginAsync(check.AccountName!, "USER", cancellationToken);
    }
}
