namespace Rampart.Security.Sasl.Mechanisms.Plain;

/// <summary>
/// The PLAIN mechanism (RFC 4616): the password in the clear, so offered only inside TLS (RFC 4616 §4,
/// SECURITY.md "SASL"), and verified against the Argon2id hash.
/// </summary>
public sealed class PlainMechanism : ISaslMechanism
{
    private PlainMechanism()
    {
    }

    /// <summary>The one instance; the mechanism has no state.</summary>
    public static PlainMechanism Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "PLAIN";

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
    public SaslServer CreateServer(SaslContext context) => new PlainServer(context);
}
