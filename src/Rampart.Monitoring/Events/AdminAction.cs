namespace Rampart.Monitoring.Events;

/// <summary>An administrator acted: a CLI verb, a session kill, an unban, an account created or deleted.</summary>
public sealed record AdminAction : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.AdminAction;

    /// <summary>What was done, e.g. <c>user.add</c>, <c>sessions.kill</c>.</summary>
    public required string Action { get; init; }

    /// <summary>What it was done to (an account, a session id, a network).</summary>
    public string? Target { get; init; }

    /// <summary>Who did it: the OS user running the CLI, or the admin account.</summary>
    public string? Actor { get; init; }
}
