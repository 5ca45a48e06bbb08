using Microsoft.Extensions.Configuration;
using Rampart.Security.OAuth;
using Rampart.Security.Sasl;
using Rampart.Security.Sasl.External;
using Rampart.Security.Sasl.OAuth;
using Rampart.Server.Configuration;
using Rampart.Server.Monitoring;

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

    /// <summary>The <c>rampart security audit</c> lines: OAuth without issuer or audience, or with keys or introspection
    /// over plain http, FAILs; a listener taking client certificates without a CRL WARNs.</summary>
    public static IEnumerable<SecurityCheck> Checks(ServerConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var oauth = BindOAuth(configuration);
        if (!oauth.IsConfigured)
        {
            yield return new SecurityCheck("auth.oauth", CheckStatus.Pass, "OAuth bearer tokens off (Security:OAuth not set)", "", "");
        }
        else if (!oauth.UsesIntrospection && (string.IsNullOrWhiteSpace(oauth.Issuer) || string.IsNullOrWhiteSpace(oauth.Audience)))
        {
            yield return new SecurityCheck("auth.oauth", CheckStatus.Fail, "Security:OAuth validates JWTs without Issuer or Audience",
                "a token from another issuer, or meant for another service, would open mailboxes (RFC 9068 §4)", "set Security:OAuth:Issuer and Security:OAuth:Audience");
        }
        else if (IsPlainHttp(oauth.JwksUrl) || IsPlainHttp(oauth.IntrospectionUrl))
        {
            yield return new SecurityCheck("auth.oauth", CheckStatus.Fail, "Security:OAuth fetches keys or introspects tokens over plain http",
                "anyone on the path can swap the keys or the answer and log in as anyone", "use an https URL (or a JwksFile)");
        }
        else
        {
            yield return new SecurityCheck("auth.oauth", CheckStatus.Pass, oauth.UsesIntrospection ? "OAuth tokens checked by introspection over https" : "OAuth JWTs checked against the issuer's keys, iss and aud", "", "");
        }

        if (!configuration.Options.Listeners.Any(l => l.Value.ClientCertificates.IsEnabled))
        {
            yield return new SecurityCheck("auth.client-certs", CheckStatus.Pass, "client certificates (EXTERNAL) off on every listener", "", "");
        }

        foreach (var (name, listener) in configuration.Options.Listeners.Where(l => l.Value.ClientCertificates.IsEnabled))
        {
            var certificates = listener.ClientCertificates;
            if (string.IsNullOrWhiteSpace(certificates.CaFile))
            {
                yield return new SecurityCheck("auth.client-certs", CheckStatus.Fail, $"{name}: client certificates on without a CaFile",
                    "EXTERNAL cannot start", $"set Listeners:{name}:ClientCertificates:CaFile");
            }
            else if (string.IsNullOrWhiteSpace(certificates.CrlFile))
            {
                yield return new SecurityCheck("auth.client-certs", CheckStatus.Warn, $"{name}: client certificates without a CRL",
                    "a lost or stolen device's certificate logs in until it expires", $"set Listeners:{name}:ClientCertificates:CrlFile and keep it current");
            }
            else
            {
                yield return new SecurityCheck("auth.client-certs", CheckStatus.Pass, $"{name}: client certificates from {certificates.CaFile}, revoked by {certificates.CrlFile}", "", "");
            }
        }
    }

    private static bool IsPlainHttp(string? url) => url is not null && url.StartsWith("http:", StringComparison.OrdinalIgnoreCase);
}
