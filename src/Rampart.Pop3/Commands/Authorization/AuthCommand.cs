using System.Buffers;
using System.Text;
using Rampart.Pop3.Protocol;
using Rampart.Pop3.Session;
using Rampart.Security.Sasl;

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

        ReadOnlyMemory<byte>? initial = null;
        if (arguments.Count == 2)
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
                await MalformedAsync(session, cancellationToken);
                return;
            }
        }

        var mechanism = arguments[0].ToUpperInvariant();
        var security = session.Security;
        if (security is not null && (await security.Verifier.BeginAsync(mechanism, cancellationToken)).IsBanned)
        {
            security.Failed(null, mechanism, "banned");
            session.CloseRequested = true;
            await session.AuthenticationFailedAsync(cancellationToken);
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
            // Counts every attempt in the guard; a success (SCRAM included) still passes the throttle, the two-factor
            // rule, the access rules and expiry before SCRAM's server proof is sent.
            var result = await security.Verifier.CompleteAsync(mechanism, step, cancellationToken);
            if (step.IsFailure && step.FailureReason == SaslFailureReason.Malformed)
            {
                security.Failed(step.AttemptedUser, mechanism, "malformed");
                await MalformedAsync(session, cancellationToken);
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
                await MalformedAsync(session, cancellationToken);
            }
            else
            {
                await session.AuthenticationFailedAsync(cancellationToken);
            }

            return;
        }

        if (!step.AdditionalData.IsEmpty && !await FinalExchangeAsync(session, step, cancellationToken))
        {
            return;
        }

        await session.LoginAsync(step.Identity!.AccountName, mechanism, cancellationToken);
    }

    /// <summary>RFC 5034 §4: POP3 has no room for data in +OK, so it goes as one more challenge, answered empty.
    /// False when the exchange ended (already answered).</summary>
    private static async ValueTask<bool> FinalExchangeAsync(Pop3Session session, SaslStep step, CancellationToken cancellationToken)
    {
        if (await ExchangeAsync(session, step.AdditionalData, cancellationToken) is not { } last)
        {
            return false;
        }

        if (last.Length != 0)
        {
            await MalformedAsync(session, cancellationToken);
            return false;
        }

        return true;
    }

    /// <summary>Sends a challenge and reads the answer; null when the exchange ended (cancelled, malformed or closed), already answered.</summary>
    private static async ValueTask<byte[]?> ExchangeAsync(Pop3Session session, ReadOnlyMemory<byte> challenge, CancellationToken cancellationToken)
    {
        session.RawOutput.Write("+ "u8);
        session.RawOutput.Write(SaslBase64.Encode(challenge.Span));
        session.RawOutput.Write("\r\n"u8);
        await session.FlushAsync(cancellationToken);
        var (response, closed) = await session.ReadSaslLineAsync(cancellationToken);
        if (closed)
        {
            session.CloseRequested = true;
            return null;
        }

        if (response is null)
        {
            // Over the line limit, a NUL, a bare LF: not base64 either.
            await MalformedAsync(session, cancellationToken);
            return null;
        }

        if (SaslBase64.IsCancellation(response))
        {
            // RFC 5034 §4: a cancelled exchange is answered -ERR; it is not a failed guess.
            await session.ErrAsync("Authentication cancelled", cancellationToken);
            return null;
        }

        if (!SaslBase64.TryDecode(response, session.SaslContext.MaxResponseBytes, out var decoded))
        {
            await MalformedAsync(session, cancellationToken);
            return null;
        }

        return decoded;
    }

    private static ValueTask MalformedAsync(Pop3Session session, CancellationToken cancellationToken) =>
        session.AuthenticationFailedAsync(cancellationToken, "Malformed SASL exchange");
}
