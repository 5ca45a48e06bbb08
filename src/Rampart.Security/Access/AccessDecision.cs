namespace Rampart.Security.Access;

/// <summary>The outcome of evaluating access rules for one address.</summary>
/// <param name="Allowed">True when the address may log in.</param>
/// <param name="Reason">For the audit log: the deny rule that matched, or "not in any allow rule"; empty when allowed.</param>
public readonly record struct AccessDecision(bool Allowed, string Reason)
{
    /// <summary>Allowed.</summary>
    public static AccessDecision Allow => new(true, string.Empty);
}
