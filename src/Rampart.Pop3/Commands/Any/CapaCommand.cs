using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;

namespace Rampart.Pop3.Commands;

/// <summary>CAPA lists the server's capabilities for the current state and connection.</summary>
/// <remarks>RFC 2449 §5 and §6; RFC 2595 §4 (STLS), RFC 5034 §3 (SASL), RFC 6856 §2 (UTF8).
/// States: AUTHORIZATION, TRANSACTION.</remarks>
internal sealed class CapaCommand : IPop3Command
{
    public async ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken)
    {
        if (command.Argument.Length > 0)
        {
            await session.ErrAsync("CAPA takes no arguments", cancellationToken);
            return;
        }

        var transport = session.Transport;
        var authorization = session.State == Pop3State.Authorization;
        session.BeginMultiLine("Capability list follows");
        session.WriteDataLine("TOP");
        session.WriteDataLine("UIDL");
        session.WriteDataLine("RESP-CODES");
        session.WriteDataLine("AUTH-RESP-CODE");
        session.WriteDataLine("PIPELINING");
        // RFC 2449 §6.7: before login the server's policy, marked USER because an admin may set another one per
        // account; after login the policy in force for this account.
        session.WriteDataLine(session.Retention is { } retention
            ? "EXPIRE " + retention.ExpireCapability
            : "EXPIRE " + session.Services.Options.Retention.ExpireCapability + " USER");
        session.WriteDataLine("IMPLEMENTATION Rampart");
        if (authorization && transport.CanStartTls)
        {
            session.WriteDataLine("STLS");
        }

        // SECURITY.md S04: before TLS neither USER nor SASL is listed, so no client is invited to send a password.
        if (authorization && transport.IsTls)
        {
            session.WriteDataLine("USER");
            var mechanisms = session.Services.Mechanisms.GetOfferedNames(session.SaslContext);
            if (mechanisms.Count > 0)
            {
                session.WriteDataLine("SASL " + string.Join(' ', mechanisms));
            }

            session.WriteDataLine("UTF8 USER");
        }
        else if (authorization)
        {
            session.WriteDataLine("UTF8");
        }

        await session.EndMultiLineAsync(cancellationToken);
    }
}
