namespace Rampart.Monitoring.Events;

/// <summary>A login succeeded. <see cref="SecurityEvent.User"/> is the resolved account name.</summary>
public sealed record AuthenticationSucceeded : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.AuthenticationSucceeded;

    /// <summary>Which credential: password, app-password (with its label), oauth, certificate.</summary>
    public string? Credential { get; init; }
}
