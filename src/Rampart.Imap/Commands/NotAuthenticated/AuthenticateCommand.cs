using Rampart.Imap.Protocol;
using Rampart.Imap.Session;
using Rampart.Security.Sasl;

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
        byte[]? initial = null;
        if (args.TrySpace())
        {
            var text = args.Remaining.ToArray();
            args.Position += text.Length;
            if (SaslBase64.IsEmptyInitialResponse(text))
            {
                initial = [];
            }
            else if (!SaslBase64.TryDecode(text, session.Services.SaslContext.MaxResponseBytes, out initial))
            {
                throw ImapCommandException.Syntax("Invalid base64 in the initial response");
            }
        }

        args.RequireEnd();
        var context = Capabilities.SaslContextFor(session);
        if (!session.Services.Sasl.TryCreateServer(mechanism, context, out var server))
        {
            throw ImapCommandException.No("CANNOT", "Unsupported authentication mechanism");
        }

        var security = session.Security;
        if (security is not null && (await security.Verifier.BeginAsync(mechanism, CancellationToken.None)).IsBanned)
        {
            security.Failed(null, mechanism, "banned");
            Authentication.Ban(session, command);
            return;
        }

        // Not a conditional expression: null would convert to an empty ReadOnlyMemory (an empty initial response).
        ReadOnlyMemory<byte>? initialResponse = null;
        if (initial is not null)
        {
            initialResponse = initial;
        }

        var step = await server.StartAsync(initialResponse, CancellationToken.None);
        while (step.Kind == SaslStepKind.Continue)
        {
            var response = await ExchangeAsync(session, step.Challenge);
            step = await server.StepAsync(response, CancellationToken.None);
        }

        if (security is not null)
        {
            // Counts every attempt in the guard; a success (SCRAM included) still passes the throttle, the two-factor
            // rule, the access rules and expiry before SCRAM's server proof is sent.
            var result = await security.Verifier.CompleteAsync(mechanism, step, CancellationToken.None);
            if (step.IsFailure && step.FailureReason == SaslFailureReason.Malformed)
            {
                security.Failed(step.AttemptedUser, mechanism, "malformed");
                session.FailedAuthentications++;
                throw ImapCommandException.Syntax("Malformed authentication exchange");
            }

            if (result.Succeeded && !step.AdditionalData.IsEmpty)
            {
                await SendFinalAsync(session, step);
            }

            await Authentication.ConcludeAsync(session, command, result, mechanism, step.AttemptedUser ?? step.Identity?.AccountName);
            return;
        }

        if (step.IsFailure)
        {
            if (step.FailureReason == SaslFailureReason.Malformed)
            {
                session.FailedAuthentications++;
                throw ImapCommandException.Syntax("Malformed authentication exchange");
            }

            Authentication.Fail(session, command);
            return;
        }

        if (!step.AdditionalData.IsEmpty)
        {
            await SendFinalAsync(session, step);
        }

        await Authentication.SucceedAsync(session, command, step.Identity!.AccountName);
    }

    /// <summary>Sends the additional data with success as a last challenge; the client answers it empty.</summary>
    private static async Task SendFinalAsync(ImapSession session, SaslStep step)
    {
        var last = await ExchangeAsync(session, step.AdditionalData);
        if (last.Length != 0)
        {
            throw ImapCommandException.Syntax("Expected an empty response");
        }
    }

    /// <summary>Sends one challenge and reads the client's response; <c>*</c> cancels (BAD, RFC 9051 §6.2.2).</summary>
    private static async Task<byte[]> ExchangeAsync(ImapSession session, ReadOnlyMemory<byte> challenge)
    {
        session.Writer.Raw("+ "u8).Raw(SaslBase64.Encode(challenge.Span)).Line();
        await session.FlushAsync();
        var line = await session.ReadContinuationLineAsync(CancellationToken.None) ?? throw new IOException("Connection closed during authentication.");
        if (SaslBase64.IsCancellation(line))
        {
            throw ImapCommandException.Syntax("Authentication cancelled");
        }

        if (!SaslBase64.TryDecode(line, session.Services.SaslContext.MaxResponseBytes, out var decoded))
        {
            throw ImapCommandException.Syntax("Invalid base64 in the response");
        }

        return decoded;
    }
}
