using Rampart.Security.Sasl;

namespace Rampart.Security.Guard;

/// <summary>
/// Drives one SASL exchange for IMAP AUTHENTICATE, POP3 AUTH and SMTP AUTH: the guard's ban check, the
/// challenge/response rounds, account security's judgement, and the last challenge that carries additional data
/// with success. The protocol owns only its framing and its replies.
/// </summary>
/// <remarks>
/// RFC 4422 §3 (the exchange), §3.5 (<c>*</c> aborts), §3.6 (additional data with success, sent as one more
/// challenge answered empty by protocols that cannot put it in their success reply: RFC 9051 §6.2.2, RFC 5034 §4,
/// RFC 4954 §4). Every attempt counts in the guard; a success (SCRAM included) still passes the throttle, the
/// two-factor rule, the access rules and expiry before the server's final message is sent (SECURITY.md E01, B03).
/// </remarks>
public static class SaslExchange
{
    /// <summary>
    /// Decodes an initial response (RFC 4422 §4 item 3b): <c>=</c> is an empty one (RFC 4959 §3, RFC 4954 §4,
    /// RFC 5034 §4). False when it is not base64 or decodes to more than <paramref name="maxBytes"/>.
    /// </summary>
    public static bool TryDecodeInitialResponse(ReadOnlySpan<byte> encoded, int maxBytes, out ReadOnlyMemory<byte> initialResponse)
    {
        if (SaslBase64.IsEmptyInitialResponse(encoded))
        {
            initialResponse = ReadOnlyMemory<byte>.Empty;
            return true;
        }

        var decoded = SaslBase64.TryDecode(encoded, maxBytes, out var bytes);
        initialResponse = decoded ? bytes : default;
        return decoded;
    }

    /// <summary>
    /// Decodes the optional initial-response argument of POP3 and SMTP AUTH (RFC 5034 §4, RFC 4954 §4): null when
    /// <paramref name="argument"/> is null (the client sent none), empty for <c>=</c>. False when it is not base64 or
    /// decodes to more than <paramref name="maxBytes"/>.
    /// </summary>
    public static bool TryDecodeInitialArgument(string? argument, int maxBytes, out ReadOnlyMemory<byte>? initialResponse)
    {
        initialResponse = null;
        if (argument is null)
        {
            return true;
        }

        if (!TryDecodeInitialResponse(System.Text.Encoding.ASCII.GetBytes(argument), maxBytes, out var decoded))
        {
            return false;
        }

        initialResponse = decoded;
        return true;
    }

    /// <summary>Runs the exchange with <paramref name="server"/> to its end.</summary>
    /// <param name="server">The mechanism's server side, not started.</param>
    /// <param name="mechanism">The mechanism name for the guard and the audit, as the protocol reports it.</param>
    /// <param name="initialResponse">The decoded initial response, or null when the client sent none.</param>
    /// <param name="security">The connection's account security, or null when the server runs without it (the
    /// mechanism's own verdict then stands).</param>
    /// <param name="maxResponseBytes">The largest decoded response accepted (SECURITY.md A03).</param>
    /// <param name="exchange">Sends one challenge, already base64-encoded, in the protocol's framing (<c>+ </c> or
    /// <c>334 </c>), flushes, and reads the client's answer line.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    public static async ValueTask<SaslExchangeResult> RunAsync(
        SaslServer server,
        string mechanism,
        ReadOnlyMemory<byte>? initialResponse,
        ConnectionSecurity? security,
        int maxResponseBytes,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<SaslResponseLine>> exchange,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(exchange);
        if (security is not null && (await security.Verifier.BeginAsync(mechanism, cancellationToken).ConfigureAwait(false)).IsBanned)
        {
            security.Failed(null, mechanism, "banned");
            return new(SaslExchangeOutcome.Banned);
        }

        var step = await server.StartAsync(initialResponse, cancellationToken).ConfigureAwait(false);
        while (step.Kind == SaslStepKind.Continue)
        {
            var (outcome, response) = await ExchangeAsync(step.Challenge).ConfigureAwait(false);
            if (outcome is { } ended)
            {
                return new(ended);
            }

            step = await server.StepAsync(response!, cancellationToken).ConfigureAwait(false);
        }

        LoginResult? judged = null;
        if (security is not null)
        {
            judged = await security.Verifier.CompleteAsync(mechanism, step, cancellationToken).ConfigureAwait(false);
            if (step.IsFailure && step.FailureReason == SaslFailureReason.Malformed)
            {
                security.Failed(step.AttemptedUser, mechanism, "malformed");
            }
        }

        if (step.IsFailure && step.FailureReason == SaslFailureReason.Malformed)
        {
            return new(SaslExchangeOutcome.Malformed);
        }

        if (judged is null && step.IsFailure)
        {
            return new(SaslExchangeOutcome.Failed);
        }

        // The server's final message goes out only for a success account security has accepted too.
        if ((judged?.Succeeded ?? true) && !step.AdditionalData.IsEmpty)
        {
            var (outcome, last) = await ExchangeAsync(step.AdditionalData).ConfigureAwait(false);
            if (outcome is { } ended)
            {
                return new(ended);
            }

            if (last!.Length != 0)
            {
                return new(SaslExchangeOutcome.UnexpectedFinalResponse);
            }
        }

        return judged is not null
            ? new(SaslExchangeOutcome.Judged, judged, step.AttemptedUser ?? step.Identity?.AccountName)
            : new(SaslExchangeOutcome.Succeeded, AccountName: step.Identity!.AccountName);

        // One round: the challenge out, the answer in and decoded; an outcome when the exchange ends here.
        async ValueTask<(SaslExchangeOutcome? Ended, byte[]? Response)> ExchangeAsync(ReadOnlyMemory<byte> challenge)
        {
            var line = await exchange(SaslBase64.Encode(challenge.Span), cancellationToken).ConfigureAwait(false);
            if (line.Closed)
            {
                return (SaslExchangeOutcome.Closed, null);
            }

            if (line.Line is not { } text)
            {
                return (SaslExchangeOutcome.InvalidResponse, null);
            }

            if (SaslBase64.IsCancellation(text))
            {
                return (SaslExchangeOutcome.Cancelled, null);
            }

            return SaslBase64.TryDecode(text, maxResponseBytes, out var decoded)
                ? (null, decoded)
                : (SaslExchangeOutcome.InvalidResponse, null);
        }
    }
}
