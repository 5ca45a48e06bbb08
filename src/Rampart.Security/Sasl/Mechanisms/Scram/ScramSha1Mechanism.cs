namespace Rampart.Security.Sasl.Mechanisms.Scram;

/// <summary>
/// SCRAM-SHA-1 and SCRAM-SHA-1-PLUS (RFC 5802 §5), for clients that know no SCRAM-SHA-256: never in the default set,
/// registered only when an admin sets <c>Security:ScramSha1</c>. Like SCRAM-SHA-256 it keeps nothing
/// password-equivalent (StoredKey and ServerKey), but the SHA-256 variants are preferred (RFC 7677), and
/// a stolen SHA-1 StoredKey is cheaper to guess against. -PLUS binds with <c>tls-server-end-point</c> (RFC 5929 §4).
/// </summary>
/// <remarks>
/// Neither requires TLS at this layer (SCRAM does not expose the password); whether any mechanism is offered
/// before STARTTLS is the protocol's policy, and Rampart's is that none is (SECURITY.md S04).
/// </remarks>
public sealed class ScramSha1Mechanism : ISaslMechanism
{
    private ScramSha1Mechanism(bool channelBinding) => UsesChannelBinding = channelBinding;

    /// <summary>SCRAM-SHA-1, without channel binding.</summary>
    public static ScramSha1Mechanism Standard { get; } = new(channelBinding: false);

    /// <summary>SCRAM-SHA-1-PLUS, with <c>tls-server-end-point</c> channel binding.</summary>
    public static ScramSha1Mechanism Plus { get; } = new(channelBinding: true);

    /// <summary>True for the -PLUS variant.</summary>
    public bool UsesChannelBinding { get; }

    /// <inheritdoc />
    public string Name => UsesChannelBinding ? "SCRAM-SHA-1-PLUS" : "SCRAM-SHA-1";

    /// <inheritdoc />
    public bool RequiresTls => false;

    /// <inheritdoc />
    public bool IsPasswordEquivalent => false;

    /// <inheritdoc />
    public bool IsAvailable(SaslContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return !UsesChannelBinding || context.ChannelBinding is not null;
    }

    /// <inheritdoc />
    public SaslServer CreateServer(SaslContext context) => new ScramSha1Server(context, UsesChannelBinding);
}
