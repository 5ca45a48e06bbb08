namespace Rampart.Security.Guard;

/// <summary>What <see cref="AuthGuard.BeginAttempt"/> decides.</summary>
public enum AuthVerdict
{
    /// <summary>Go ahead now.</summary>
    Allowed,

    /// <summary>Go ahead after <see cref="AuthDecision.Delay"/>: wait, then check, then answer.</summary>
    Delayed,

    /// <summary>The client is banned: close the connection without checking anything.</summary>
    Banned,
}
