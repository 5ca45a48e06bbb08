namespace Rampart.Monitoring.Alerts;

/// <summary>Mails alerts by local delivery: every alert to <see cref="AlertOptions.AdminAccount"/> when set, and the
/// "was this you?" notice to the account's owner for alerts marked <see cref="Alert.NotifyUser"/> when
/// <see cref="AlertOptions.NotifyUsers"/> is on.</summary>
public sealed class MailAlertSink : IAlertSink
{
    private readonly IAlertMailbox mailbox;
    private readonly AlertOptions options;

    public MailAlertSink(IAlertMailbox mailbox, AlertOptions options)
    {
        this.mailbox = mailbox;
        this.options = options;
    }

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (options.AdminAccount is { Length: > 0 } admin)
        {
            await mailbox.DeliverAsync(admin, AlertMessage.ForAdmin(alert, options), cancellationToken);
        }

        if (options.NotifyUsers && alert.NotifyUser && alert.Account is { Length: > 0 } account)
        {
            await mailbox.DeliverAsync(account, AlertMessage.ForUser(alert, options), cancellationToken);
        }
    }
}
