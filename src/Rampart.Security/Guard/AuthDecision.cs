namespace Rampart.Security.Guard;

/// <summary>The guard's answer to "may this client try to log in now?".</summary>
/// <param name="Verdict">Allowed, delayed or banned.</param>
/// <param name="Delay">How long to wait before checking and answering; zero unless <see cref="AuthVerdict.Delayed"/>.</param>
public readonly record struct AuthDecision(AuthVerdict Verdict, TimeSpan Delay)
{
    /// <summary>Allowed at once.</summary>
    public static AuthDecision Allowed => new(AuthVerdict.Allowed, TimeSpan.Zero);

    /// <summary>Banned.</summary>
    public static AuthDecision Banned => new(AuthVerdict.Banned, TimeSpan.Zero);

    /// <summary>True when the client is banned.</summary>
    public bool IsBanned => Verdict == AuthVerdict.Banned;
}
