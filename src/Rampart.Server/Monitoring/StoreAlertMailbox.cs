using Rampart.Monitoring.Alerts;
using Rampart.Store;
using Rampart.Store.Model;

namespace Rampart.Server.Monitoring;

/// <summary>Delivers alert mail (admin alerts, "was this you?" notices) into an account's INBOX through the store,
/// the same path as <c>rampart deliver</c>.</summary>
public sealed class StoreAlertMailbox : IAlertMailbox
{
    private readonly IMailStore store;

    public StoreAlertMailbox(IMailStore store) => this.store = store;

    public async Task DeliverAsync(string account, byte[] message, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(message, writable: false);
        var outcomes = await store.DeliverAsync(stream, [new DeliveryTarget(account, null, MessageFlags.Empty)], null, cancellationToken);
        if (outcomes.FirstOrDefault(o => o.Error is not null) is { } failed)
        {
            throw new StoreException(failed.Error!.Value, $"alert mail to {account} was not delivered: {failed.Error}");
        }
    }

    public async Task<bool> CanReceiveAsync(string account, CancellationToken cancellationToken) =>
        await store.FindAccountAsync(account, cancellationToken) is { Enabled: true };
}
