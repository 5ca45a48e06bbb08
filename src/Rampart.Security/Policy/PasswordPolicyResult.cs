namespace Rampart.Security.Policy;

/// <summary>The policy's verdict on a new password, with a sentence for the person who chose it.</summary>
/// <param name="Refusal">Why it was refused, or <see cref="PasswordRefusal.None"/>.</param>
/// <param name="Message">One line saying what to change; empty when accepted.</param>
public readonly record struct PasswordPolicyResult(PasswordRefusal Refusal, string Message)
{
    /// <summary>Accepted.</summary>
    public static PasswordPolicyResult Accepted => new(PasswordRefusal.None, string.Empty);

    /// <summary>True when the password may be used.</summary>
    public bool IsAccepted => Refusal == PasswordRefusal.None;
}
