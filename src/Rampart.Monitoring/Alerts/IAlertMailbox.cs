namespace Rampart.Monitoring.Alerts;

/// <summary>Local delivery of a message into an account's INBOX; the server implements it over its mail store.</summary>
public interface IAlertMailbox
{
    /// <summary>Delivers <paramref name="message"/> (RFC 5322 bytes, CRLF line endings) to <paramref name="account"/>.</summary>
    Task DeliverAsync(string account, byte[] message, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="account"/> exists and is enabled, so mail to it would be delivered and read.</summary>
    Task<bool> CanReceiveAsync(string account, CancellationToken cancellationToken);
}
