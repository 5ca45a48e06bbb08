using System.Text;
using Rampart.Security.Guard;
using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>AUTH runs a SASL exchange through the shared mechanisms and the account-security login check.</summary>
/// <remarks>RFC 4954 §4 (initial response, <c>=</c> for an empty one, <c>*</c> cancels with 501, 334 challenges,
/// additional data with success sent as a last 334), §6 (235 2.7.0, 535 5.7.8, 538 5.7.11 before TLS, 503 once
/// authenticated or inside a transaction). Mode: submission only — port 25 never offers AUTH, so it can never become
/// an authenticated relay. Every failure but a malformed exchange gets the one generic 535 (SECURITY.md E01).</remarks>
internal sealed class AuthCommand : ISmtpCommand
{
    public async ValueTask ExecuteAsync(SmtpSession session, SmtpCommandLine command, CancellationToken cancellationToken)
    {
        if (session.HeloName is null || !session.Extended)
        {
            session.Reply(503, "5.5.1", "Send EHLO first");
            return;
        }

        if (session.Account is not null)
        {
            session.Reply(503, "5.5.1", "Already authenticated");
            return;
        }

        if (session.Transaction is not null)
        {
            session.Reply(503, "5.5.1", "AUTH is not allowed during a mail transaction");
            return;
        }

        if (!session.Connection.IsTls)
        {
            // SECURITY.md A01: no credentials in plaintext; nothing is checked.
            session.Reply(538, "5.7.11", "Encryption required for requested authentication mechanism");
            return;
        }

        var arguments = command.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (arguments.Length is < 1 or > 2)
        {
            session.Reply(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
            return;
        }

        var context = session.SaslContext;
        if (!session.Services.Mechanisms.TryCreateServer(arguments[0], context, out var server))
        {
            session.Reply(504, "5.5.4", "Unrecognized authentication type");
            return;
        }

        if (!SaslExchange.TryDecodeInitialArgument(arguments.Length == 2 ? arguments[1] : null, context.MaxResponseBytes, out var initial))
        {
            Malformed(session);
            return;
        }

        var mechanism = arguments[0].ToUpperInvariant();
        var exchange = await SaslExchange.RunAsync(server, mechanism, initial, session.Security, context.MaxResponseBytes, ExchangeAsync, cancellationToken);
        switch (exchange.Outcome)
        {
            case SaslExchangeOutcome.Banned:
                session.CloseRequested = true;
                session.AuthenticationFailed();
                break;
            case SaslExchangeOutcome.Closed:
                session.CloseRequested = true;
                break;
            case SaslExchangeOutcome.Cancelled:
                // RFC 4954 §4: "*" cancels with 501; it is not a failed guess.
                session.Reply(501, "5.0.0", "Authentication cancelled");
                break;
            case SaslExchangeOutcome.Failed:
                session.AuthenticationFailed();
                break;
            case SaslExchangeOutcome.Judged:
                await session.ConcludeAsync(exchange.Login!, mechanism, exchange.AttemptedUser, cancellationToken);
                break;
            case SaslExchangeOutcome.Succeeded:
                await session.LoginAsync(exchange.AccountName!, cancellationToken);
                break;
            default:
                // A refused or non-base64 line, a non-empty answer to the last challenge, or the mechanism's verdict.
                Malformed(session);
                break;
        }

        ValueTask<SaslResponseLine> ExchangeAsync(ReadOnlyMemory<byte> challenge, CancellationToken token)
        {
            // RFC 4954 §4: each challenge is a 334 reply; additional data with success is one more, answered empty.
            session.ReplyLine(334, null, Encoding.ASCII.GetString(challenge.Span), last: true);
            return session.ReadSaslLineAsync(token);
        }
    }

    private static void Malformed(SmtpSession session) => session.AuthenticationFailed("Malformed SASL exchange");
}
