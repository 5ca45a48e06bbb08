using Rampart.Imap.Protocol;
using Rampart.Imap.Session;
using Rampart.Net.Tls;

namespace Rampart.Imap.Commands.NotAuthenticated;

/// <summary>STARTTLS upgrades a plaintext connection. Everything the client pipelined after it in plaintext is
/// discarded by the upgrade (SECURITY.md S01–S03); a second STARTTLS, or one after login, is BAD (S05).</summary>
/// <remarks>RFC 9051 §6.2.1 (RFC 3501 §6.2.1). States: NotAuthenticated.</remarks>
internal static class StartTlsCommand
{
    public static CommandDefinition Definition { get; } = new("STARTTLS", SessionState.NotAuthenticated, "RFC 9051 §6.2.1", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        command.Arguments.RequireEnd();
        if (session.Transport.IsTls || !session.Transport.CanStartTls)
        {
            throw ImapCommandException.Syntax("TLS is already active or not available here");
        }

        session.Writer.Status(command.Tag, "OK", null, "Begin TLS negotiation now");
        command.Answered = true;
        try
        {
            await session.StartTlsAsync(CancellationToken.None);
        }
        catch (TlsHandshakeException)
        {
            session.Close();
        }
    }
}
