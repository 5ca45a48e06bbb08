namespace Rampart.Security.Sasl;

/// <summary>
/// The outcome of one step of a SASL exchange (RFC 4422 §3): a challenge to send, success, or failure.
/// </summary>
/// <remarks>
/// On success a mechanism may carry additional data (SCRAM's server-final-message <c>v=...</c>,
/// RFC 4422 §3.6). A protocol that cannot put it in its success reply sends it as one more challenge, waits
/// for an empty response, then reports success (IMAP without the data in the tagged OK, POP3, SMTP 334).
/// </remarks>
public sealed class SaslStep
{
    private SaslStep(SaslStepKind kind, ReadOnlyMemory<byte> data, SaslIdentity? identity, SaslFailureReason reason, string? attemptedUser)
    {
        Kind = kind;
        Challenge = kind == SaslStepKind.Continue ? data : default;
        AdditionalData = kind == SaslStepKind.Success ? data : default;
        Identity = identity;
        FailureReason = reason;
        AttemptedUser = attemptedUser;
    }

    /// <summary>Continue, success or failure.</summary>
    public SaslStepKind Kind { get; }

    /// <summary>For <see cref="SaslStepKind.Continue"/>: the challenge bytes (raw; the protocol base64-encodes them). May be empty.</summary>
    public ReadOnlyMemory<byte> Challenge { get; }

    /// <summary>For <see cref="SaslStepKind.Success"/>: who logged in.</summary>
    public SaslIdentity? Identity { get; }

    /// <summary>For <see cref="SaslStepKind.Success"/>: additional data with success (raw bytes), or empty.</summary>
    public ReadOnlyMemory<byte> AdditionalData { get; }

    /// <summary>For <see cref="SaslStepKind.Failure"/>: why, for the audit log only.</summary>
    public SaslFailureReason FailureReason { get; }

    /// <summary>
    /// The user name the client gave, when the exchange got that far: for the audit log and the per-account
    /// throttle. On success, the name as typed (the identity has the canonical one).
    /// </summary>
    public string? AttemptedUser { get; }

    /// <summary>True for <see cref="SaslStepKind.Success"/>.</summary>
    public bool IsSuccess => Kind == SaslStepKind.Success;

    /// <summary>True for <see cref="SaslStepKind.Failure"/>.</summary>
    public bool IsFailure => Kind == SaslStepKind.Failure;

    /// <summary>Send <paramref name="challenge"/> and wait for a response.</summary>
    public static SaslStep Continue(ReadOnlyMemory<byte> challenge) => new(SaslStepKind.Continue, challenge, null, default, null);

    /// <summary>The client is authenticated.</summary>
    public static SaslStep Success(SaslIdentity identity, ReadOnlyMemory<byte> additionalData = default, string? attemptedUser = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new(SaslStepKind.Success, additionalData, identity, default, attemptedUser);
    }

    /// <summary>The exchange failed.</summary>
    public static SaslStep Failure(SaslFailureReason reason, string? attemptedUser = null) =>
        new(SaslStepKind.Failure, default, null, reason, attemptedUser);
}
