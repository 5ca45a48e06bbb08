namespace Rampart.Security.Sasl.OAuth;

/// <summary>
/// The exchange both bearer mechanisms follow: one client message with the token; on success, done; on failure, an
/// error challenge (a JSON document), the client's dummy response, then the failure (RFC 7628 §3.2.3).
/// </summary>
public abstract class BearerServer : SaslServer
{
    private SaslStep? _pendingFailure;

    /// <summary>Creates the server side of one exchange.</summary>
    protected BearerServer(SaslContext context, BearerTokenAuthority authority)
        : base(context)
    {
        ArgumentNullException.ThrowIfNull(authority);
        Authority = authority;
    }

    /// <summary>The shared token checks.</summary>
    protected BearerTokenAuthority Authority { get; }

    /// <inheritdoc />
    protected sealed override async ValueTask<SaslStep> RespondAsync(ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        if (_pendingFailure is { } failure)
        {
            // The client's answer to the error challenge carries nothing (RFC 7628 §3.2.3: %x01; XOAUTH2: empty).
            return failure;
        }

        if (!TryParse(response.Span, out var token, out var authzid))
        {
            return SaslStep.Failure(SaslFailureReason.Malformed);
        }

        var step = await Authority.AuthenticateAsync(token, authzid, MechanismName, Context, cancellationToken).ConfigureAwait(false);
        if (step.IsSuccess)
        {
            return step;
        }

        _pendingFailure = step;
        return SaslStep.Continue(ErrorChallenge());
    }

    /// <summary>Reads the client's message: the token and the authorization identity (null when none).</summary>
    protected abstract bool TryParse(ReadOnlySpan<byte> message, out string token, out string? authzid);

    /// <summary>The mechanism's error document.</summary>
    protected abstract byte[] ErrorChallenge();
}
