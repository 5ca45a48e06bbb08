using System.Buffers;
using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;
using Rampart.Security.Guard;

namespace Rampart.Pop3.Commands;

/// <summary>AUTH runs a SASL exchange; without arguments it lists the mechanisms offered.</summary>
/// <remarks>
/// RFC 5034 §4 (initial response, <c>=</c> for an empty one, <c>*</c> to cancel, additional data with success
/// sent as a last challenge), RFC 4422. States: AUTHORIZATION, TLS only. Every failure but a malformed exchange
/// gets the one generic <c>-ERR [AUTH]</c> reply (SECURITY.md E01); all of them count towards the failure limit.
/// </remarks>
internal sealed class AuthCommand : IPop3Command
{
    public async ValueTask ExecuteAsync(Pop3Session session, Pop3CommandLine command, CancellationToken cancellationToken)
    {
        var context = session.SaslContext;
        var arguments = command.Arguments;
        if (arguments.Count == 0)
        {
            // The mechanism list form clients probe with before CAPA existed (the practice from before CAPA).
            session.BeginMultiLine("Supported mechanisms follow");
            foreach (var name in session.Services.Mechanisms.GetOfferedNames(context))
            {
                session.WriteDataLine(name);
            }

            await session.EndMultiLineAsync(cancellationToken);
            return;
        }

        if (arguments.Count > 2)
        {
            await session.ErrAsync("AUTH takes a mechanism and an optional initial response", cancellationToken);
            return;
        }

        if (!session.Services.Mechanisms.TryCreateServer(arguments[0], context, out var server))
        {
            await session.ErrAsync("Unsupported authentication mechanism", cancellationToken);
            return;
        }

        if (!SaslExchange.TryDecodeInitialArgument(arguments.Count == 2 ? arguments[1] : null, context.MaxResponseBytes, out var initial))
        {
            await MalformedAsync(session, cancellationToken);
            return;
        }

        var mechanism = arguments[0].ToUpperInvariant();
        var exchange = await SaslExchange.RunAsync(server, mechanism, initial, session.Security, context.MaxResponseBytes, ExchangeAsync, cancellationToken);
        switch (exchange.Outcome)
        {
            case SaslExchangeOutcome.Banned:
                session.CloseRequested = true;
                await session.AuthenticationFailedAsync(cancellationToken);
                break;
            case SaslExchangeOutcome.Closed:
                session.CloseRequested = true;
                break;
            case SaslExchangeOutcome.Cancelled:
                // RFC 5034 §4: a cancelled exchange is answered -ERR; it is not a failed guess.
                await session.ErrAsync("Authentication cancelled", cancellationToken);
                break;
            case SaslExchangeOutcome.Failed:
                await session.AuthenticationFailedAsync(cancellationToken);
                break;
            case SaslExchangeOutcome.Judged:
                await session.ConcludeAsync(exchange.Login!, mechanism, exchange.AttemptedUser, cancellationToken);
                break;
            case SaslExchangeOutcome.Succeeded:
                await session.LoginAsync(exchange.AccountName!, mechanism, cancellationToken);
                break;
            default:
                // Over the line limit, a NUL, a bare LF, not base64, a non-empty answer to the last challenge, or the
                // mechanism's verdict: a malformed exchange.
                await MalformedAsync(session, cancellationToken);
                break;
        }

        async ValueTask<SaslResponseLine> ExchangeAsync(ReadOnlyMemory<byte> challenge, CancellationToken token)
        {
            // RFC 5034 §4: POP3 has no room for data in +OK, so additional data with success is one more challenge.
            session.RawOutput.Write("+ "u8);
            session.RawOutput.Write(challenge.Span);
            session.RawOutput.Write("\r\n"u8);
            await session.FlushAsync(token);
            return await session.ReadSaslLineAsync(token);
        }
    }

    private static ValueTask MalformedAsync(Pop3Session session, CancellationToken cancellationToken) =>
        session.AuthenticationFailedAsync(cancellationToken, "Malformed SASL exchange");
}
