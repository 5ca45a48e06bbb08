using System.Text;
using Rampart.Security.Sasl;
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

        ReadOnlyMemory<byte>? initial = null;
        if (arguments.Length == 2)
        {
            var encoded = Encoding.ASCII.GetBytes(arguments[1]);
            if (SaslBase64.IsEmptyInitialResponse(encoded))
            {
                initial = ReadOnlyMemory<byte>.Empty;
            }
            else if (SaslBase64.TryDecode(encoded, context.MaxResponseBytes, out var decoded))
            {
                initial = decoded;
            }
            else
            {
                Malformed(session);
                return;
            }
        }

        var mechanism = arguments[0].ToUpperInvariant();
        var security = session.Security;
        if (security is not null && (await security.Verifier.BeginAsync(mechanism, cancellationToken)).IsBanned)
        {
            security.Failed(null, mechanism, "banned");
            session.CloseRequested = true;
            session.AuthenticationFailed();
            return;
        }

        var step = await server.StartAsync(initial, cancellationToken);
        while (step.Kind == SaslStepKind.Continue)
        {
            if (await ExchangeAsync(session, step.Challenge, cancellationToken) is not { } response)
            {
                return;
            }

            step = await server.StepAsync(response, cancellationToken);
        }

        if (security is not null)
        {
            // Every attempt counts in the guard; a success (SCRAM too) still passes throttles, the two-factor rule,
            // access rules and expiry before the server's final message is sent.
            var result = await security.Verifier.CompleteAsync(mechanism, step, cancellationToken);
            if (step.IsFailure && step.FailureReason == SaslFailureReason.Malformed)
            {
                security.Failed(step.AttemptedUser, mechanism, "malformed");
                Malformed(session);
                return;
            }

            if (result.Succeeded && !step.AdditionalData.IsEmpty && !await FinalExchangeAsync(session, step, cancellationToken))
            {
                return;
            }

            await session.ConcludeAsync(result, mechanism, step.AttemptedUser ?? step.Identity?.AccountName, cancellationToken);
            return;
        }

        if (step.IsFailure)
        {
            if (step.FailureReason == SaslFailureReason.Malformed)
            {
                Malformed(session);
            }
            else
            {
                session.AuthenticationFailed();
            }

            return;
        }

        if (!step.AdditionalData.IsEmpty && !await FinalExchangeAsync(session, step, cancellationToken))
        {
            return;
        }

        await session.LoginAsync(step.Identity!.AccountName, cancellationToken);
    }

    /// <summary>RFC 4954 §4: data with success goes as one more 334 challenge, answered with an empty line.</summary>
    private static async ValueTask<bool> FinalExchangeAsync(SmtpSession session, SaslStep step, CancellationToken cancellationToken)
    {
        if (await ExchangeAsync(session, step.AdditionalData, cancellationToken) is not { } last)
        {
            return false;
        }

        if (last.Length != 0)
        {
            Malformed(session);
            return false;
        }

        return true;
    }

    /// <summary>Sends a 334 challenge and reads the answer; null when the exchange ended (already answered).</summary>
    private static async ValueTask<byte[]?> ExchangeAsync(SmtpSession session, ReadOnlyMemory<byte> challenge, CancellationToken cancellationToken)
    {
        session.ReplyLine(334, null, Encoding.ASCII.GetString(SaslBase64.Encode(challenge.Span)), last: true);
        var (response, closed) = await session.ReadSaslLineAsync(cancellationToken);
        if (closed)
        {
            session.CloseRequested = true;
            return null;
        }

        if (response is null)
        {
            Malformed(session);
            return null;
        }

        if (SaslBase64.IsCancellation(response))
        {
            // RFC 4954 §4: "*" cancels with 501; it is not a failed guess.
            session.Reply(501, "5.0.0", "Authentication cancelled");
            return null;
        }

        if (!SaslBase64.TryDecode(response, session.SaslContext.MaxResponseBytes, out var decoded))
        {
            Malformed(session);
            return null;
        }

        return decoded;
    }

    private static void Malformed(SmtpSession session) => session.AuthenticationFailed("Malformed SASL exchange");
}
