namespace Rampart.Monitoring.Alerts;

/// <summary>Where alerts go: a webhook, the admin's mailbox, the user's INBOX. Called from the dispatcher's background
/// loop, one alert at a time; a sink that fails is logged and the others still run.</summary>
public interface IAlertSink
{
    /// <summary>Delivers one alert (a sink may ignore alerts not meant for it).</summary>
    Task SendAsync(Alert alert, CancellationToken cancellationToken);
}
