namespace Rampart.Monitoring.Events;

/// <summary>A credential of <see cref="SecurityEvent.User"/> changed: password set, 2FA enabled or disabled, app
/// password created or revoked. Never carries the credential itself.</summary>
public sealed record CredentialChanged : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.CredentialChanged;

    /// <summary>password, totp, app-password, oauth.</summary>
    public required string Credential { get; init; }

    /// <summary>set, enabled, disabled, created, revoked, expired.</summary>
    public required string Action { get; init; }

    /// <summary>A label for the changed item (an app password's device name), never a secret.</summary>
    public string? Label { get; init; }

    /// <summary>Who made the change: the user, or <c>admin</c> through the CLI.</summary>
    public string? Actor { get; init; }
}
