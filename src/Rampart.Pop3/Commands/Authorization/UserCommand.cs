using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>USER names the account for the PASS that follows. The reply is the same whether or not the account
/// exists (SECURITY.md E01): the check happens at PASS.</summary>
/// <remarks>RFC 1939 §7 (RFC 6856 §2.1 for UTF-8 names). States: AUTHORIZATION, TLS only.</remarks>
internal sealed class UserCommand : IPop3Command
{
    /// <summary>Longest name accepted: 255 characters, like a SASL authentication identity (RFC 4616 §2).</summary>
    public const int MaxUserNameLength = 255;

    public async ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken)
    {
        var name = command.Argument.Trim();
        if (name.Length == 0 || name.Length > MaxUserNameLength || name.Contains(' ', StringComparison.Ordinal))
        {
            session.PendingUser = null;
            await session.ErrAsync("USER needs one user name", cancellationToken);
            return;
        }

        session.PendingUser = name;
        await session.OkAsync("Send PASS", cancellationToken);
    }
}
