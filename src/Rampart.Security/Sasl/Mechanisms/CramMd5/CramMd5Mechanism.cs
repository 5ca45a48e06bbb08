namespace Rampart.Security.Sasl.Mechanisms.CramMd5;

/// <summary>
/// CRAM-MD5 (RFC 2195): a challenge-response over HMAC-MD5 keyed with the password, so the server must keep a
/// password-equivalent secret. It is therefore password-equivalent: a <see cref="SaslMechanismFactory"/> drops it
/// unless built with <c>allowPasswordEquivalent</c>, it is offered only when <see cref="SaslContext.LegacySecrets"/> is
/// set and inside TLS, and it succeeds only for accounts an admin opted in (A10: not offered by default).
/// </summary>
public sealed class CramMd5Mechanism : ISaslMechanism
{
    private CramMd5Mechanism()
    {
    }

    /// <summary>The one instance.</summary>
    public static CramMd5Mechanism Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "CRAM-MD5";

    /// <inheritdoc />
    public bool RequiresTls => true;

    /// <inheritdoc />
    public bool IsPasswordEquivalent => true;

    /// <inheritdoc />
    public bool IsAvailable(SaslContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.IsTls && context.LegacySecrets is not null;
    }

    /// <inheritdoc />
    public SaslServer CreateServer(SaslContext context) => new CramMd5Server(context);
}
