namespace Rampart.Security.Sasl;

/// <summary>
/// The server side of one SASL exchange (RFC 4422 §3), transport-agnostic: it takes raw decoded client
/// responses and returns <see cref="SaslStep"/>s. One instance per attempt; not thread-safe.
/// </summary>
/// <remarks>
/// <para>The protocol owns the framing. It decodes each client line with <see cref="SaslBase64.TryDecode(ReadOnlySpan{byte}, int, out byte[])"/>
/// (bad base64 is a syntax error), treats <c>=</c> as an empty initial response (RFC 4959 §3), and treats
/// <c>*</c> as the client cancelling (RFC 4422 §3.5): it then answers with its "cancelled" reply and drops
/// this object, without calling it again.</para>
/// <para>This class enforces the limits of SECURITY.md A03 before any mechanism work: a response over
/// <see cref="SaslContext.MaxResponseBytes"/>, or more than <see cref="SaslContext.MaxRounds"/> responses,
/// fails the exchange as <see cref="SaslFailureReason.Malformed"/>.</para>
/// </remarks>
public abstract class SaslServer
{
    private bool _started;

    /// <summary>Creates the server side of an exchange on a connection with <paramref name="context"/>.</summary>
    protected SaslServer(SaslContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
    }

    /// <summary>The mechanism's registered name.</summary>
    public abstract string MechanismName { get; }

    /// <summary>The connection this exchange runs on.</summary>
    protected SaslContext Context { get; }

    /// <summary>How many times the client has been answered so far, the start included.</summary>
    public int Rounds { get; private set; }

    /// <summary>True once the exchange has succeeded or failed; it cannot be stepped further.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>
    /// Starts the exchange. <paramref name="initialResponse"/> is the client's initial response (RFC 4422 §4
    /// item 3b; empty for the <c>=</c> form) or null when the client sent none, in which case client-first
    /// mechanisms answer with an empty challenge.
    /// </summary>
    public ValueTask<SaslStep> StartAsync(ReadOnlyMemory<byte>? initialResponse, CancellationToken cancellationToken = default)
    {
        if (_started)
        {
            throw new InvalidOperationException("The exchange has already started.");
        }

        _started = true;
        return initialResponse is { } response
            ? StepAsync(response, cancellationToken)
            : Complete(CountRound() ?? InitialChallenge());
    }

    /// <summary>Processes the client's next response (raw bytes, already base64-decoded).</summary>
    public async ValueTask<SaslStep> StepAsync(ReadOnlyMemory<byte> response, CancellationToken cancellationToken = default)
    {
        if (IsCompleted)
        {
            throw new InvalidOperationException("The exchange has already completed.");
        }

        _started = true;
        if (CountRound() is { } limit)
        {
            return await Complete(limit).ConfigureAwait(false);
        }

        if (response.Length > Context.MaxResponseBytes)
        {
            return await Complete(SaslStep.Failure(SaslFailureReason.Malformed)).ConfigureAwait(false);
        }

        return await Complete(await RespondAsync(response, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>The challenge for a client that sent no initial response; client-first mechanisms send an empty one.</summary>
    protected virtual SaslStep InitialChallenge() => SaslStep.Continue(ReadOnlyMemory<byte>.Empty);

    /// <summary>The mechanism's handling of one client response, within the limits.</summary>
    protected abstract ValueTask<SaslStep> RespondAsync(ReadOnlyMemory<byte> response, CancellationToken cancellationToken);

    private SaslStep? CountRound() =>
        ++Rounds > Context.MaxRounds ? SaslStep.Failure(SaslFailureReason.Malformed) : null;

    private ValueTask<SaslStep> Complete(SaslStep step)
    {
        if (step.Kind != SaslStepKind.Continue)
        {
            IsCompleted = true;
        }

        return ValueTask.FromResult(step);
    }
}
