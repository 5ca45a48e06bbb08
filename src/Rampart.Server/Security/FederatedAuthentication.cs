using Microsoft.Extensions.Configuration;
using Rampart.Security.OAuth;
using Rampart.Security.Sasl;
using Rampart.Security.Sasl.External;
using Rampart.Security.Sasl.OAuth;
using Rampart.Server.Configuration;

namespace Rampart.Server.Security;

/// <summary>
/// The mechanisms that authenticate with something other than a password, built from configuration: OAUTHBEARER and
/// XOAUTH2 when <c>Security:OAuth</c> names a JWKS file or URL or an introspection endpoint; EXTERNAL when a listener
/// has <c>ClientCertificates</c> on. Nothing is offered without configuration.
/// </summary>
public static class FederatedAuthentication
{
    /// <summary>How long one call to the issuer (JWKS, introspection) may take: 10 seconds, so that a slow issuer
    /// delays a login, not the server.</summary>
    public static readonly TimeSpan IssuerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Binds <c>Security:OAuth</c>.</summary>
    public static OAuthOptions BindOAuth(ServerConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new OAuthOptions();
        configuration.Raw.GetSection("Security:OAuth").Bind(options);
        return options;
    }

    /// <summary>The configured mechanisms (none without configuration), to add to the defaults with
    /// <see cref="SaslMechanismFactory.With"/>.</summary>
    /// <exception cref="ArgumentException">The OAuth section is incomplete (e.g. a JWKS without issuer or audience).</exception>
    public static IReadOnlyList<ISaslMechanism> Mechanisms(ServerConfiguration configuration)
    {
        var mechanisms = new List<ISaslMechanism>();
        if (ExternalMechanism.For(configuration.Options.Listeners.Select(l => KeyValuePair.Create(l.Key, l.Value.ClientCertificates))) is { } external)
        {
            mechanisms.Add(external);
        }

        var oauth = BindOAuth(configuration);
        if (!oauth.IsConfigured)
        {
            return mechanisms;
        }

        // One client for the process: it pools connections to the issuer. Redirects are not followed: a JWKS or
        // introspection URL is configured exactly.
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            Timeout = IssuerTimeout,
        };
        ITokenValidator validator = oauth.UsesIntrospection
            ? new IntrospectionTokenValidator(oauth, http)
            : new JwtAccessTokenValidator(oauth, new JwksKeySource(oauth, http));
        var authority = new BearerTokenAuthority(validator, oauth);
        mechanisms.Add(new OAuthBearerMechanism(authority));
        mechanisms.Add(new XOAuth2Mechanism(authority));
        return mechanisms;
    }
}
