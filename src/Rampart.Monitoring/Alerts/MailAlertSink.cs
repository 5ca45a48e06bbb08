namespace Rampart.Monitoring.Alerts;

/// <summary>Mails alerts by local delivery: every alert to <see cref="AlertOptions.AdminAccount"/> when set, else to
/// <see cref="AlertOptions.DefaultAdminAccount"/> while that account can receive mail; and the "was this you?" notice to the account's owner for alerts marked <see cref="Alert.NotifyUser"/> when
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
        if (await AdminRecipientAsync(cancellationToken) is { } admin)
        {
            await mailbox.DeliverAsync(admin, AlertMessage.ForAdmin(alert, options), cancellationToken);
        }

        if (options.NotifyUsers && alert.NotifyUser && alert.Account is { Length: > 0 } account)
        {
            await mailbox.DeliverAsync(account, AlertMessage.ForUser(alert, options), cancellationToken);
        }
    }

    /// <summary>The account admin alerts go to, or null when there is none to deliver to.</summary>
    /// <remarks>An explicit <see cref="AlertOptions.AdminAccount"/> is always tried (a failure is logged by the
    /// dispatcher: the admin asked for it). The default one is looked up each time because it can be created,
    /// disabled or deleted while the server runs; alerts are rare, the lookup is cheap.</remarks>
    private async Task<string?> AdminRecipientAsync(CancellationToken cancellationToken)
    {
        if (options.AdminAccount is { Length: > 0 } configured)
        {
            return configured;
        }

        return options.DefaultAdminAccount is { Length: > 0 } fallback && await mailbox.CanReceiveAsync(fallback, cancellationToken) ? fallback : null;
    }
}
