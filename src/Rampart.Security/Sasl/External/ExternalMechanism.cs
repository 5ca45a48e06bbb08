using Rampart.Net.Options;

namespace Rampart.Security.Sasl.External;

/// <summary>
/// EXTERNAL (RFC 4422 Appendix A) over TLS client certificates: the identity comes from the certificate the client
/// sent in the handshake, judged by the listener's <see cref="ClientCertificateVerifier"/>. Offered only on TLS
/// connections that carry a certificate, on listeners configured for it; never implied (no PREAUTH): the client asks.
/// </summary>
public sealed class ExternalMechanism : ISaslMechanism
{
    private readonly Dictionary<string, ClientCertificateVerifier> _verifiers;

    /// <summary>Creates the mechanism with a verifier per listener name.</summary>
    public ExternalMechanism(IReadOnlyDictionary<string, ClientCertificateVerifier> verifiers)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        _verifiers = new(verifiers, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Builds verifiers for every listener whose <see cref="ClientCertificateOptions"/> are enabled.</summary>
    public static ExternalMechanism? For(IEnumerable<KeyValuePair<string, ClientCertificateOptions>> listeners)
    {
        ArgumentNullException.ThrowIfNull(listeners);
        var verifiers = listeners.Where(l => l.Value.IsEnabled).ToDictionary(l => l.Key, l => new ClientCertificateVerifier(l.Value), StringComparer.OrdinalIgnoreCase);
        return verifiers.Count == 0 ? null : new ExternalMechanism(verifiers);
    }

    /// <inheritdoc />
    public string Name => "EXTERNAL";

    /// <inheritdoc />
    public bool RequiresTls => true;

    /// <inheritdoc />
    public bool IsPasswordEquivalent => false;

    /// <inheritdoc />
    public bool IsAvailable(SaslContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.IsTls && context.ClientCertificate is not null && VerifierFor(context) is not null;
    }

    /// <inheritdoc />
    public SaslServer CreateServer(SaslContext context) => new ExternalServer(context, VerifierFor(context));

    private ClientCertificateVerifier? VerifierFor(SaslContext context) =>
        context.ListenerName is { } name && _verifiers.TryGetValue(name, out var verifier) ? verifier : null;
}
