namespace Rampart.Monitoring.Events;

/// <summary>Where every layer reports security events: one call, <see cref="Raise"/>.</summary>
/// <remarks>Implementations are called on hot paths (accept, login): they must be fast, thread-safe, and must never
/// throw or block on I/O. Check <see cref="IsEnabled"/> before building an expensive event.</remarks>
public interface ISecurityEvents
{
    /// <summary>Whether anything listens; false makes raising an event a no-op.</summary>
    bool IsEnabled => true;

    /// <summary>Reports one event.</summary>
    void Raise(SecurityEvent securityEvent);
}
