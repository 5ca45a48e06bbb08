namespace Rampart.Security.Sasl.Mechanisms.Scram;

/// <summary>
/// SCRAM-SHA-256 and SCRAM-SHA-256-PLUS (RFC 5802, RFC 7677). The password never crosses the wire and the
/// server keeps only StoredKey and ServerKey. -PLUS binds the exchange to the TLS connection with
/// <c>tls-server-end-point</c> (RFC 5929 §4) and is offered only when the connection supplies it.
/// </summary>
/// <remarks>
/// Neither requires TLS at this layer (SCRAM does not expose the password); whether any mechanism is offered
/// before STARTTLS is the protocol's policy, and Rampart's is that none is (SECURITY.md S04).
/// </remarks>
public sealed class ScramSha256Mechanism : ISaslMechanism
{
    private ScramSha256Mechanism(bool channelBinding) => UsesChannelBinding = channelBinding;

    /// <summary>SCRAM-SHA-256, without channel binding.</summary>
    public static ScramSha256Mechanism Standard { get; } = new(channelBinding: false);

    /// <summary>SCRAM-SHA-256-PLUS, with <c>tls-server-end-point</c> channel binding.</summary>
    public static ScramSha256Mechanism Plus { get; } = new(channelBinding: true);

    /// <summary>True for the -PLUS variant.</summary>
    public bool UsesChannelBinding { get; }

    /// <inheritdoc />
    public string Name => UsesChannelBinding ? "SCRAM-SHA-256-PLUS" : "SCRAM-SHA-256";

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
    public SaslServer CreateServer(SaslContext context) => new ScramSha256Server(context, UsesChannelBinding);
}
