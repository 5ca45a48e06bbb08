namespace Rampart.Security.Sasl.OAuth;

/// <summary>
/// XOAUTH2, the bearer-token mechanism that predates OAUTHBEARER and that many clients still send
/// (<c>user=NAME^Aauth=Bearer TOKEN^A^A</c>). Same token checks, offered only inside TLS and when OAuth is configured.
/// </summary>
public sealed class XOAuth2Mechanism : ISaslMechanism
{
    /// <summary>Creates the mechanism over the shared token checks.</summary>
    public XOAuth2Mechanism(BearerTokenAuthority authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        Authority = authority;
    }

    /// <summary>The token checks.</summary>
    public BearerTokenAuthority Authority { get; }

    /// <inheritdoc />
    public string Name => "XOAUTH2";

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
    public SaslServer CreateServer(SaslContext context) => new XOAuth2Server(context, Authority);
}
