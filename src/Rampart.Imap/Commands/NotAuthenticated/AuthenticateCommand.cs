using Rampart.Imap.Protocol;
using Rampart.Imap.Session;
using Rampart.Security.Guard;

namespace Rampart.Imap.Commands.NotAuthenticated;

/// <summary>AUTHENTICATE runs a SASL exchange from the shared framework, with SASL-IR's initial response.</summary>
/// <remarks>RFC 9051 §6.2.2 (RFC 3501 §6.2.2), RFC 4959 (SASL-IR). States: NotAuthenticated. TLS required.
/// Additional data with success (SCRAM's <c>v=</c>) is sent as a last <c>+</c> challenge and the client's empty
/// response awaited, which every client handles (RFC 9051 §6.2.2 permits either form).</remarks>
internal static class AuthenticateCommand
{
    public static CommandDefinition Definition { get; } = new("AUTHENTICATE", SessionState.NotAuthenticated, "RFC 9051 §6.2.2", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        Authentication.RequireTls(session);
        var args = command.Arguments;
        args.Space();
        var mechanism = args.Atom();
        ReadOnlyMemory<byte>? initial = null;
        if (args.TrySpace())
        {
            var text = args.Remaining.ToArray();
            args.Position += text.Length;
            if (!SaslExchange.TryDecodeInitialResponse(text, session.Services.SaslContext.MaxResponseBytes, out var decoded))
            {
                throw ImapCommandException.Syntax("Invalid base64 in the initial response");
            }

            initial = decoded;
        }

        args.RequireEnd();
        var context = Capabilities.SaslContextFor(session);
        if (!session.Services.Sasl.TryCreateServer(mechanism, context, out var server))
        {
            throw ImapCommandException.No("CANNOT", "Unsupported authentication mechanism");
        }

        var exchange = await SaslExchange.RunAsync(server, mechanism, initial, session.Security, session.Services.SaslContext.MaxResponseBytes, ExchangeAsync, CancellationToken.None);
        switch (exchange.Outcome)
        {
            case SaslExchangeOutcome.Banned:
                Authentication.Ban(session, command);
                break;
            case SaslExchangeOutcome.Closed:
                throw new IOException("Connection closed during authentication.");
            case SaslExchangeOutcome.Cancelled:
                // RFC 9051 §6.2.2: "*" cancels with BAD.
                throw ImapCommandException.Syntax("Authentication cancelled");
            case SaslExchangeOutcome.InvalidResponse:
                throw ImapCommandException.Syntax("Invalid base64 in the response");
            case SaslExchangeOutcome.UnexpectedFinalResponse:
                throw ImapCommandException.Syntax("Expected an empty response");
            case SaslExchangeOutcome.Malformed:
                session.FailedAuthentications++;
                throw ImapCommandException.Syntax("Malformed authentication exchange");
            case SaslExchangeOutcome.Judged:
                await Authentication.ConcludeAsync(session, command, exchange.Login!, mechanism, exchange.AttemptedUser);
                break;
            case SaslExchangeOutcome.Succeeded:
                await Authentication.SucceedAsync(session, command, exchange.AccountName!);
                break;
            default:
                Authentication.Fail(session, command);
                break;
        }

        async ValueTask<SaslResponseLine> ExchangeAsync(ReadOnlyMemory<byte> challenge, CancellationToken cancellationToken)
        {
            // Additional data with success goes as a last "+" challenge too (see remarks).
            session.Writer.Raw("+ "u8).Raw(challenge.Span).Line();
            await session.FlushAsync(cancellationToken);

            // A line the reader refuses (too long, NUL, a literal) is answered BAD by the reader itself.
            return await session.ReadContinuationLineAsync(cancellationToken) is { } line ? new(line, false) : SaslResponseLine.EndOfStream;
        }
    }
}
