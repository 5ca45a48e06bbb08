namespace Rampart.Security.Sasl;

/// <summary>What a <see cref="SaslStep"/> asks the protocol to do.</summary>
public enum SaslStepKind
{
    /// <summary>Send <see cref="SaslStep.Challenge"/> and wait for the next response.</summary>
    Continue,

    /// <summary>The client is authenticated as <see cref="SaslStep.Identity"/>.</summary>
    Success,

    /// <summary>The exchange failed for <see cref="SaslStep.FailureReason"/>.</summary>
    Failure,
}
