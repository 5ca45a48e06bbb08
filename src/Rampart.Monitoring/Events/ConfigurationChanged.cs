namespace Rampart.Monitoring.Events;

/// <summary>The configuration was loaded or changed (a certificate reloaded, a setting changed); values that could be
/// secret are never included, only the setting's name.</summary>
public sealed record ConfigurationChanged : SecurityEvent
{
    public override SecurityEventKind Kind => SecurityEventKind.ConfigurationChanged;

    /// <summary>The setting or file that changed, e.g. <c>Tls:CertificatePath</c>.</summary>
    public required string Setting { get; init; }
}
