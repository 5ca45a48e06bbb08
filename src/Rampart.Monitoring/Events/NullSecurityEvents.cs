namespace Rampart.Monitoring.Events;

/// <summary>A sink that ignores everything: for tools and tests that do not monitor.</summary>
public sealed class NullSecurityEvents : ISecurityEvents
{
    /// <summary>The shared instance.</summary>
    public static NullSecurityEvents Instance { get; } = new();

    public bool IsEnabled => false;

    public void Raise(SecurityEvent securityEvent)
    {
    }
}
