namespace Rampart.Security.Sasl.Gssapi;

/// <summary>
/// The GSSAPI mechanism (RFC 4752): Kerberos V5 through .NET's <see cref="System.Net.Security.NegotiateAuthentication"/>
/// (MIT libgssapi_krb5 on Linux) and the service keytab. Registered only when configured, and like every mechanism
/// offered only inside TLS.
/// </summary>
public sealed class GssapiMechanism : ISaslMechanism
{
    /// <summary>Creates the mechanism with <paramref name="options"/> (realm and principal mappings).</summary>
    public GssapiMechanism(GssapiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Realm, nameof(options));
        Options = options;
    }

    /// <summary>The realm and principal mappings.</summary>
    public GssapiOptions Options { get; }

    /// <inheritdoc />
    public string Name => "GSSAPI";

    /// <inheritdoc />
    /// <remarks>Kerberos sends no password, but Rampart offers no SASL security layer, so the session itself
    /// (and the user names in it) is protected by TLS alone.</remarks>
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
    public SaslServer CreateServer(SaslContext context) => new GssapiServer(context, Options);
}
