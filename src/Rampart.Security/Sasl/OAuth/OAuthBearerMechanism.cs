namespace Rampart.Security.Sasl.OAuth;

/// <summary>
/// OAUTHBEARER (RFC 7628): an OAuth 2.0 bearer token (RFC 6750) in a GS2-style message. The token is a credential
/// sent as is, so the mechanism is offered only inside TLS (RFC 7628 §5), and only when OAuth is configured.
/// </summary>
public sealed class OAuthBearerMechanism : ISaslMechanism
{
    /// <summary>Creates the mechanism over the shared token checks.</summary>
    public OAuthBearerMechanism(BearerTokenAuthority authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        Authority = authority;
    }

    /// <summary>The token checks.</summary>
    public BearerTokenAuthority Authority { get; }

    /// <inheritdoc />
    public string Name => "OAUTHBEARER";

    /// <inheritdoc />
    public bool RequiresTls => true;

    /// <inheritdoc />
    public bool IsPasswordEquivalent => false;

    /// <inheritdoc />
    public bool IsAvailable(SaslContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.IsTls;
    }

    /// <inheritdoc />
    public SaslServer CreateServer(SaslContext context) => new OAuthBearerServer(context, Authority);
}
