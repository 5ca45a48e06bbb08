using System.Buffers;
using System.Net.Security;

namespace Rampart.Security.Sasl.Gssapi;

/// <summary>
/// The server side of one GSSAPI exchange (RFC 4752 §3.1): Kerberos context tokens until the context is established
/// (the client's AP-REQ, the server's AP-REP for mutual authentication, then the client's empty response), then the
/// wrapped security-layer offer, and the client's wrapped choice with its authorization identity.
/// </summary>
/// <remarks>
/// <para>The Kerberos library does the checks of SECURITY.md A11: a ticket for a service whose key is not in the keytab
/// (a wrong SPN), an authenticator seen before (the replay cache), or a clock outside the allowed skew fail the
/// accept, and the exchange ends with the protocol's generic failure, counted in the guard like a wrong password.</para>
/// <para>The authenticated principal is mapped to an account by <see cref="GssapiOptions.AccountFor"/>; an unmapped
/// principal, an unknown or disabled account, or an authorization identity naming another account fails. The
/// success then passes the same policies as any login (<see cref="Guard.LoginAuthenticator.CompleteSaslAsync"/>).</para>
/// <para>Only the status of each call is trusted: after a failed accept .NET may still report the context as
/// authenticated.</para>
/// </remarks>
public sealed class GssapiServer : SaslServer
{
    private readonly GssapiOptions _options;
    private NegotiateAuthentication? _context;
    private Stage _stage;
    private string? _principal;

    /// <summary>Creates the server side of one exchange.</summary>
    public GssapiServer(SaslContext context, GssapiOptions options)
        : base(context)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    private enum Stage
    {
        Accepting,
        AwaitingEmptyResponse,
        AwaitingChoice,
    }

    /// <inheritdoc />
    public override string MechanismName => "GSSAPI";

    /// <inheritdoc />
    protected override async ValueTask<SaslStep> RespondAsync(ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        var step = _stage switch
        {
            Stage.Accepting => Accept(response.Span),
            // RFC 4752 §3.1: the client answers the server's last context token with an empty response.
            Stage.AwaitingEmptyResponse => response.IsEmpty ? OfferSecurityLayer() : SaslStep.Failure(SaslFailureReason.Malformed, _principal),
            _ => await ChooseAsync(response, cancellationToken).ConfigureAwait(false),
        };
        if (step.Kind != SaslStepKind.Continue)
        {
            _context?.Dispose();
            _context = null;
        }

        return step;
    }

    private SaslStep Accept(ReadOnlySpan<byte> token)
    {
        if (token.IsEmpty)
        {
            return SaslStep.Failure(SaslFailureReason.Malformed);
        }

        _context ??= new NegotiateAuthentication(new NegotiateAuthenticationServerOptions { Package = "Kerberos" });
        var output = _context.GetOutgoingBlob(token, out var status);
        switch (status)
        {
            case NegotiateAuthenticationStatusCode.ContinueNeeded:
                return SaslStep.Continue(output ?? []);
            case NegotiateAuthenticationStatusCode.Completed:
                _principal = _context.RemoteIdentity.Name;
                if (output is { Length: > 0 })
                {
                    _stage = Stage.AwaitingEmptyResponse;
                    return SaslStep.Continue(output);
                }

                return OfferSecurityLayer();
            default:
                // Wrong SPN, replay, skew, a forged or garbled token: all one failure on the wire.
                return SaslStep.Failure(SaslFailureReason.BadCredentials);
        }
    }

    private SaslStep OfferSecurityLayer()
    {
        var wrapped = new ArrayBufferWriter<byte>();
        // RFC 4752 §3.1: the offer is integrity-protected, not encrypted (conf_flag FALSE).
        if (_context!.Wrap(GssapiSecurityLayer.Offer(), wrapped, requestEncryption: false, out _) != NegotiateAuthenticationStatusCode.Completed)
        {
            return SaslStep.Failure(SaslFailureReason.BadCredentials, _principal);
        }

        _stage = Stage.AwaitingChoice;
        return SaslStep.Continue(wrapped.WrittenMemory);
    }

    private async ValueTask<SaslStep> ChooseAsync(ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        var principal = _principal!;
        var choice = new ArrayBufferWriter<byte>();
        if (_context!.Unwrap(response.Span, choice, out _) != NegotiateAuthenticationStatusCode.Completed)
        {
            return SaslStep.Failure(SaslFailureReason.BadCredentials, principal);
        }

        if (!GssapiSecurityLayer.TryReadChoice(choice.WrittenSpan, out var authorizationId))
        {
            return SaslStep.Failure(SaslFailureReason.Malformed, principal);
        }

        if (_options.AccountFor(principal) is not { } accountName)
        {
            return SaslStep.Failure(SaslFailureReason.Refused, principal);
        }

        var account = await Context.Credentials.FindAsync(accountName, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return SaslStep.Failure(SaslFailureReason.UnknownUser, accountName);
        }

        if (!account.Enabled)
        {
            return SaslStep.Failure(SaslFailureReason.Disabled, accountName);
        }

        // Rampart has no proxy authorization: an authzid may only name the principal's own account (or an alias of it).
        if (authorizationId.Length > 0 && !await NamesAccountAsync(authorizationId, account.AccountName, cancellationToken).ConfigureAwait(false))
        {
            return SaslStep.Failure(SaslFailureReason.AuthzidNotAllowed, accountName);
        }

        return SaslStep.Success(new SaslIdentity(account.AccountName, MechanismName), attemptedUser: accountName);
    }

    private async ValueTask<bool> NamesAccountAsync(string authorizationId, string accountName, CancellationToken cancellationToken) =>
        string.Equals(authorizationId, accountName, StringComparison.Ordinal)
        || (await Context.Credentials.FindAsync(authorizationId, cancellationToken).ConfigureAwait(false))?.AccountName is { } other
            && string.Equals(other, accountName, StringComparison.Ordinal);
}
